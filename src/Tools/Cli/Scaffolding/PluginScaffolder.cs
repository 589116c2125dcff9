using System.Text.RegularExpressions;
using Inference.Onnx.Authoring;
using Inference.Plugins.Sdk;

namespace Inference.Cli.Scaffolding;

/// <summary>
/// Writes a new plugin folder of one kind: manifest, model, test data and (managed, native) sources
/// under src/ that build into lib/. The result builds and passes its own test cases as written.
/// </summary>
public static partial class PluginScaffolder
{
    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_]{0,63}$")]
    private static partial Regex ServiceId();

    /// <summary>Why <paramref name="service"/> cannot be a service id, or null when it can.</summary>
    public static string? CheckServiceId(string service) =>
        ServiceId().IsMatch(service) ? null : $"'{service}' cannot be a service id: start with a letter, then letters, digits or '_', at most 64 characters";

    /// <summary>Writes the plugin into <paramref name="directory"/> (which must not exist or be empty); the files written, relative.</summary>
    public static IReadOnlyList<string> Create(ScaffoldKind kind, string service, string directory)
    {
        if (CheckServiceId(service) is { } problem)
        {
            throw new ArgumentException(problem, nameof(service));
        }

        if (Directory.Exists(directory) && Directory.EnumerateFileSystemEntries(directory).Any())
        {
            throw new IOException($"{directory} is not empty: choose a new folder with --output");
        }

        var type = TypeName(service);
        var values = new Dictionary<string, string>
        {
            ["__SERVICE__"] = service,
            ["__ALIAS__"] = service.Length <= 16 ? service : service[..16],
            ["__TYPE__"] = type,
        };
        var files = new List<(string Path, byte[] Content)>
        {
            ("manifest.yaml", Text(kind.ToString().ToLowerInvariant() + "/manifest.yaml", values)),
            (".gitignore", "lib/\nobj/\nbin/\n*.tar.gz\n*.tar.gz.md5\n"u8.ToArray()),
        };
        switch (kind)
        {
            case ScaffoldKind.Onnx:
                files.Add(("model/model.onnx", SampleModels.Gain()));
                files.Add(("tests/three_samples.raw", Floats(0.5f, -1f, 3f)));
                break;
            case ScaffoldKind.Managed:
                files.Add(("model/model.onnx", SampleModels.Gain()));
                files.Add(($"src/{type}.csproj", Text("managed/Plugin.csproj", values)));
                files.Add(($"src/{type}Plugin.cs", Text("managed/Plugin.cs", values)));
                files.Add(("sdk/Inference.Plugins.Sdk.dll", File.ReadAllBytes(typeof(IEnginePlugin).Assembly.Location)));
                break;
            case ScaffoldKind.Native:
                files.Add(("src/CMakeLists.txt", Text("native/CMakeLists.txt", values)));
                files.Add(("src/wrapper.c", Text("native/wrapper.c", values)));
                files.Add(("src/include/aiges_wrapper.h", Text("native/aiges_wrapper.h", values)));
                break;
        }

        foreach (var (path, content) in files)
        {
            var full = Path.Combine(directory, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllBytes(full, content);
        }

        return files.Select(f => f.Path).ToList();
    }

    /// <summary>speech_vad → SpeechVad: the C# namespace and assembly name of a managed plugin.</summary>
    public static string TypeName(string service) =>
        string.Concat(service.Split('_', StringSplitOptions.RemoveEmptyEntries).Select(p => char.ToUpperInvariant(p[0]) + p[1..]));

    private static byte[] Text(string template, IReadOnlyDictionary<string, string> values) =>
        System.Text.Encoding.UTF8.GetBytes(TemplateFiles.Read(template, values));

    private static byte[] Floats(params float[] values)
    {
        var bytes = new byte[values.Length * sizeof(float)];
        Buffer.BlockCopy(values, 0, bytes, 0, bytes.Length);
        return bytes;
    }
}
