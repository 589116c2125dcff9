namespace Inference.Onnx.Binding;

/// <summary>
/// Decides which ONNX Runtime library to load, in the documented order: an explicit path from
/// configuration; else the <c>RUNTIME_ORT_LIBRARY</c> environment variable; else the copy the build
/// ships beside the assemblies (<c>native/onnxruntime/linux-x64/</c>, filled by
/// <c>native/fetch-onnxruntime.sh</c>); else that folder in a source checkout above the base directory.
/// </summary>
public static class OrtLibraryLocator
{
    public const string EnvironmentVariable = "RUNTIME_ORT_LIBRARY";
    public const string LibraryFileName = "libonnxruntime.so.1";
    public const string ShippedFolder = "native/onnxruntime/linux-x64";

    public static OrtLibraryLocation Resolve(string? configuredPath, Func<string, string?> getEnvironmentVariable, string baseDirectory)
    {
        if (!string.IsNullOrWhiteSpace(configuredPath))
        {
            return Explicit(configuredPath, "configuration (OnnxRuntime:LibraryPath)");
        }

        var fromEnvironment = getEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            return Explicit(fromEnvironment, $"environment variable {EnvironmentVariable}");
        }

        var start = new DirectoryInfo(Path.TrimEndingDirectorySeparator(Path.GetFullPath(baseDirectory)));
        for (var dir = start; dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, ShippedFolder, LibraryFileName);
            if (File.Exists(candidate))
            {
                return new OrtLibraryLocation(candidate, dir.FullName == start.FullName ? "shipped beside the host" : "source checkout");
            }
        }

        throw new FileNotFoundException(
            $"ONNX Runtime library not found: set OnnxRuntime:LibraryPath or {EnvironmentVariable} to a libonnxruntime.so, " +
            $"or run native/fetch-onnxruntime.sh to place it in {ShippedFolder}/ (searched upwards from {baseDirectory}).");
    }

    public static OrtLibraryLocation ResolveDefault(string? configuredPath = null) =>
        Resolve(configuredPath, Environment.GetEnvironmentVariable, AppContext.BaseDirectory);

    private static OrtLibraryLocation Explicit(string path, string source)
    {
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new FileNotFoundException($"ONNX Runtime library given by {source} does not exist: {full}", full);
        }

        return new OrtLibraryLocation(full, source);
    }
}
