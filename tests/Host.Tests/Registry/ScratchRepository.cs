using System.Globalization;
using Inference.Onnx.Authoring;
using Inference.Onnx.Tensors;

namespace Inference.Host.Tests.Registry;

/// <summary>A model repository in a fresh temp folder, deleted on dispose; the tests lay it out file by file.</summary>
internal sealed class ScratchRepository : IDisposable
{
    /// <summary>A valid model: OUT = -IN, float [n].</summary>
    public static readonly byte[] Negate = new OnnxGraphBuilder("negate")
        .Input("IN", TensorElementType.Float, "n")
        .Output("OUT", TensorElementType.Float, "n")
        .Node("Neg", ["IN"], ["OUT"])
        .Build();

    public static readonly byte[] Garbage = "this is not an onnx model"u8.ToArray();

    public ScratchRepository()
    {
        Root = Path.Combine(Path.GetTempPath(), "inference-registry-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    /// <summary>Writes <c>Root/name/version/model.onnx</c>; returns its path.</summary>
    public string AddVersion(string name, string version, byte[]? model = null)
    {
        var dir = AddFolder(name, version);
        var path = Path.Combine(dir, "model.onnx");
        File.WriteAllBytes(path, model ?? Negate);
        return path;
    }

    public string AddVersion(string name, long version, byte[]? model = null) =>
        AddVersion(name, version.ToString(CultureInfo.InvariantCulture), model);

    /// <summary>Writes <c>Root/name.onnx</c>; returns its path.</summary>
    public string AddFlat(string name, byte[]? model = null)
    {
        var path = Path.Combine(Root, name + ".onnx");
        File.WriteAllBytes(path, model ?? Negate);
        return path;
    }

    /// <summary>Creates the folder <c>Root/parts...</c>; returns its path.</summary>
    public string AddFolder(params string[] parts)
    {
        var dir = Path.Combine([Root, .. parts]);
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>Writes a file at <c>Root/parts...</c>; returns its path.</summary>
    public string AddFile(byte[] content, params string[] parts)
    {
        var path = Path.Combine([Root, .. parts]);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, content);
        return path;
    }

    public void Dispose()
    {
        if (Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }
    }
}
