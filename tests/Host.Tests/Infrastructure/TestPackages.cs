using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Inference.Onnx.Authoring;
using Inference.Onnx.Tensors;

namespace Inference.Host.Tests.Infrastructure;

/// <summary>
/// Plugin packages for the engine API tests, written into a repository: <c>gain-1.0.0.tar.gz</c> (an
/// ONNX-only plugin: scaled = audio * gain), <c>gain-1.1.0.tar.gz</c> (the same, newer), a package
/// whose MD5 sidecar is wrong, and one whose manifest is invalid.
/// </summary>
public static class TestPackages
{
    public const string GainManifest = """
        service: { id: gain, version: 1.0.0, description: Scales raw FP32 audio. }
        parameters:
          - { name: gain, type: float, range: { min: 0, max: 10 }, default: 1 }
          - { name: channel, type: enum, enum: [ { value: left, meaning: Left }, { value: right, meaning: Right } ], required: true }
        request:
          - { name: audio, type: audio, encodings: [raw] }
        response:
          - { name: scaled, type: tensor, encodings: [json, raw] }
        errors:
          - { code: 10001, name: GAIN_ERROR, description: never raised, strategy: none }
        config: { maxConcurrency: 4, optimalConcurrency: 2 }
        resources: { preset: C1 }
        engine:
          kind: onnx
          model: model/model.onnx
          inputs:
            - { source: audio, tensor: AUDIO, datatype: FP32 }
            - { source: gain, tensor: GAIN }
          outputs:
            - { source: scaled, tensor: OUT }
        """;

    public static void WriteTo(string repository)
    {
        var model = new OnnxGraphBuilder("gain")
            .Input("AUDIO", TensorElementType.Float, 1, "n")
            .Input("GAIN", TensorElementType.Float)
            .Output("OUT", TensorElementType.Float, 1, "n")
            .Node("Mul", ["AUDIO", "GAIN"], ["OUT"])
            .Build();
        Write(repository, "gain-1.0.0.tar.gz", GainManifest, model, goodDigest: true);
        Write(repository, "gain-1.1.0.tar.gz", GainManifest.Replace("version: 1.0.0", "version: 1.1.0", StringComparison.Ordinal), model, goodDigest: true);
        Write(repository, "tampered-1.0.0.tar.gz", GainManifest.Replace("id: gain", "id: tampered", StringComparison.Ordinal), model, goodDigest: false);
        Write(repository, "badmanifest-1.0.0.tar.gz", "service: { id: badmanifest, version: 1.0.0 }\n", model, goodDigest: true);
        WritePackage(repository, "textnative-1.0.0.tar.gz", NativeManifest, [("lib/libwrapper.so", File.ReadAllBytes(NativeSample.Build()))]);
        var echo = EchoPluginDirectory();
        WritePackage(repository, "echo-1.0.0.tar.gz", ManagedManifest, Directory.GetFiles(echo).Select(f => ("plugin/" + Path.GetFileName(f), File.ReadAllBytes(f))).ToArray());
    }

    public const string NativeManifest = """
        service: { id: textnative, version: 1.0.0 }
        parameters:
          - { name: mode, type: enum, enum: [ { value: upper, meaning: Upper case }, { value: lower, meaning: Lower case }, { value: reverse, meaning: Reversed } ], default: upper }
        request:
          - { name: text, type: text, encodings: [utf8] }
        response:
          - { name: result, type: text, encodings: [utf8] }
        errors:
          - { code: 20002, name: SAMPLE_ERROR_EMPTY_TEXT, description: The text is empty, strategy: Send some text }
        config: { settings: { prefix: ">" }, maxConcurrency: 4, optimalConcurrency: 2 }
        resources: { preset: C1 }
        engine: { kind: native, library: lib/libwrapper.so }
        """;

    public const string ManagedManifest = """
        service: { id: echo, version: 1.0.0 }
        parameters:
          - { name: suffix, type: string, default: "" }
          - { name: delay_ms, type: integer, range: { min: 0, max: 60000 }, default: 0 }
        request:
          - { name: text, type: text, encodings: [utf8] }
        response:
          - { name: result, type: text, encodings: [utf8] }
        errors:
          - { code: 10001, name: ECHO_ERROR_EMPTY_TEXT, description: The text is empty, strategy: Send some text }
        config: { settings: { greeting: "hi " }, maxConcurrency: 4, optimalConcurrency: 2 }
        resources: { preset: C1 }
        engine: { kind: managed, assembly: plugin/EchoPlugin.dll, type: EchoPlugin.Echo }
        """;

    /// <summary>The LanesPlugin test plugin: the engine instance and batching tests' package (<see cref="WriteLanesPackage"/>).</summary>
    public const string LanesManifest = """
        service: { id: lanes, version: 1.0.0 }
        parameters:
          - { name: hold, type: integer, range: { min: 0, max: 64 }, default: 0 }
          - { name: delay_ms, type: integer, range: { min: 0, max: 60000 }, default: 0 }
          - { name: fail, type: boolean, default: false }
        request:
          - { name: text, type: text, encodings: [utf8] }
        response:
          - { name: result, type: text, encodings: [utf8] }
        errors:
          - { code: 20001, name: LANES_ERROR_ASKED, description: The request asked to fail, strategy: Do not ask }
          - { code: 20002, name: LANES_ERROR_HOLD, description: Too few requests arrived together, strategy: Send them together }
        config: { maxConcurrency: 64, optimalConcurrency: 16 }
        resources: { preset: C1 }
        engine: { kind: managed, assembly: plugin/LanesPlugin.dll, type: LanesPlugin.Lanes }
        """;

    /// <summary>Writes <c>lanes-1.0.0.tar.gz</c> (the LanesPlugin build) into <paramref name="repository"/>.</summary>
    public static void WriteLanesPackage(string repository)
    {
        var lanes = TestPluginDirectory("LanesPlugin");
        WritePackage(repository, "lanes-1.0.0.tar.gz", LanesManifest, Directory.GetFiles(lanes).Select(f => ("plugin/" + Path.GetFileName(f), File.ReadAllBytes(f))).ToArray());
    }

    /// <summary>
    /// A managed test plugin's package unpacked into <paramref name="directory"/> as the installer leaves it:
    /// <paramref name="manifest"/> at the root, the build of tests/TestPlugins/<paramref name="plugin"/> under plugin/.
    /// </summary>
    public static void Unpack(string directory, string manifest, string plugin)
    {
        Directory.CreateDirectory(Path.Combine(directory, "plugin"));
        File.WriteAllText(Path.Combine(directory, "manifest.yaml"), manifest);
        foreach (var file in Directory.GetFiles(TestPluginDirectory(plugin)))
        {
            File.Copy(file, Path.Combine(directory, "plugin", Path.GetFileName(file)));
        }
    }

    public static void WritePackage(string repository, string fileName, string manifest, (string Path, byte[] Content)[] files)
    {
        var path = Path.Combine(repository, fileName);
        using (var file = File.Create(path))
        using (var gzip = new GZipStream(file, CompressionLevel.Fastest))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Pax))
        {
            tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "manifest.yaml") { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(manifest)) });
            foreach (var (name, content) in files)
            {
                tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(content) });
            }
        }

        File.WriteAllText(path + ".md5", $"{Convert.ToHexStringLower(MD5.HashData(File.ReadAllBytes(path)))}  {fileName}\n");
    }

    /// <summary>The EchoPlugin test plugin's build output, same configuration as the tests.</summary>
    private static string EchoPluginDirectory() => TestPluginDirectory("EchoPlugin");

    /// <summary>A test plugin's build output (tests/TestPlugins/{name}), same configuration as the tests.</summary>
    private static string TestPluginDirectory(string name)
    {
        var baseDir = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd('/'));
        var testsRoot = baseDir.Parent!.Parent!.Parent!.Parent!.FullName;
        return Path.Combine(testsRoot, "TestPlugins", name, "bin", baseDir.Parent.Name, baseDir.Name);
    }

    private static void Write(string repository, string fileName, string manifest, byte[] model, bool goodDigest)
    {
        WritePackage(repository, fileName, manifest, [("model/model.onnx", model)]);
        if (!goodDigest)
        {
            File.WriteAllText(Path.Combine(repository, fileName + ".md5"), $"{new string('0', 32)}  {fileName}\n");
        }
    }
}
