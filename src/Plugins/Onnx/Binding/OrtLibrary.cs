using System.Runtime.InteropServices;

namespace Inference.Onnx.Binding;

/// <summary>
/// The process's one ONNX Runtime library: loaded once, its API table read once. ORT itself is
/// process-global (one reference-counted environment per process), so this is too.
/// </summary>
public static unsafe class OrtLibrary
{
    private static readonly Lock Gate = new();
    private static OrtApi? api;

    /// <summary>The library that was loaded, or null before <see cref="Load"/>.</summary>
    public static OrtLibraryLocation? Location { get; private set; }

    /// <summary>ORT's version string, e.g. "1.23.2".</summary>
    public static string Version { get; private set; } = "";

    internal static OrtApi Api => api ?? throw new InvalidOperationException("ONNX Runtime is not loaded: call OrtLibrary.Load first.");

    public static bool IsLoaded => api is not null;

    /// <summary>Loads the library at <paramref name="location"/>; a second call with the same path is a no-op.</summary>
    public static void Load(OrtLibraryLocation location)
    {
        lock (Gate)
        {
            if (api is not null)
            {
                if (Location!.Path != location.Path)
                {
                    throw new InvalidOperationException(
                        $"ONNX Runtime is already loaded from {Location.Path}; cannot also load {location.Path} in one process.");
                }

                return;
            }

            nint handle;
            try
            {
                handle = NativeLibrary.Load(location.Path);
            }
            catch (DllNotFoundException e)
            {
                throw new DllNotFoundException($"Could not load ONNX Runtime from {location.Path} ({location.Source}): {e.Message}", e);
            }

            if (!NativeLibrary.TryGetExport(handle, "OrtGetApiBase", out var getApiBase))
            {
                throw new EntryPointNotFoundException($"{location.Path} does not export OrtGetApiBase: it is not an ONNX Runtime library.");
            }

            // OrtApiBase is { const OrtApi* (*GetApi)(uint32_t); const char* (*GetVersionString)(void); }.
            var apiBase = ((delegate* unmanaged[Cdecl]<nint*>)getApiBase)();
            var getApi = (delegate* unmanaged[Cdecl]<uint, void**>)apiBase[0];
            var getVersion = (delegate* unmanaged[Cdecl]<byte*>)apiBase[1];
            var version = Marshal.PtrToStringUTF8((nint)getVersion()) ?? "";
            var table = getApi(OrtApi.ApiVersion);
            if (table is null)
            {
                throw new NotSupportedException(
                    $"ONNX Runtime {version} at {location.Path} does not provide API version {OrtApi.ApiVersion}; use ORT 1.23 or newer.");
            }

            Version = version;
            Location = location;
            api = new OrtApi(table);
        }
    }

    /// <summary>The build description ORT reports (git commit, build options).</summary>
    public static string BuildInfo => Marshal.PtrToStringUTF8((nint)Api.GetBuildInfoString()) ?? "";

    /// <summary>Execution providers compiled into the loaded library, e.g. CPUExecutionProvider.</summary>
    public static IReadOnlyList<string> GetAvailableProviders()
    {
        byte** names;
        int count;
        OrtStatus.Check(Api.GetAvailableProviders(&names, &count));
        try
        {
            var result = new string[count];
            for (var i = 0; i < count; i++)
            {
                result[i] = Marshal.PtrToStringUTF8((nint)names[i]) ?? "";
            }

            return result;
        }
        finally
        {
            OrtStatus.Check(Api.ReleaseAvailableProviders(names, count));
        }
    }
}
