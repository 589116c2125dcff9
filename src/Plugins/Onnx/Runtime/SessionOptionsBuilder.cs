using Inference.Onnx.Binding;
using Inference.Onnx.Binding.Handles;

namespace Inference.Onnx.Runtime;

/// <summary>Builds a native <c>OrtSessionOptions</c> from <see cref="OnnxSessionOptions"/>, execution provider included.</summary>
internal static unsafe class SessionOptionsBuilder
{
    public static OrtSessionOptionsHandle Build(OnnxSessionOptions options, IReadOnlyList<string> availableProviders, out ExecutionProviderSelection selection)
    {
        var api = OrtLibrary.Api;
        var handle = new OrtSessionOptionsHandle();
        nint created;
        OrtStatus.Check(api.CreateSessionOptions(&created));
        handle.Attach(created);
        try
        {
            var p = handle.Pointer;
            OrtStatus.Check(api.SetIntraOpNumThreads(p, options.IntraOpThreads));
            OrtStatus.Check(api.SetInterOpNumThreads(p, options.InterOpThreads));
            OrtStatus.Check(api.SetSessionExecutionMode(p, options.ParallelExecution ? 1 : 0));
            OrtStatus.Check(api.SetSessionGraphOptimizationLevel(p, (int)options.GraphOptimization));
            OrtStatus.Check(options.EnableCpuMemArena ? api.EnableCpuMemArena(p) : api.DisableCpuMemArena(p));
            // An explicit config entry wins over the AllowSpinning shorthand (ORT warns on a second set).
            foreach (var key in (ReadOnlySpan<string>)["session.intra_op.allow_spinning", "session.inter_op.allow_spinning"])
            {
                if (!options.ConfigEntries.ContainsKey(key))
                {
                    AddConfigEntry(p, key, options.AllowSpinning ? "1" : "0");
                }
            }

            foreach (var (key, value) in options.ConfigEntries)
            {
                AddConfigEntry(p, key, value);
            }

            if (options.LogId is { } logId)
            {
                using var id = new NativeUtf8(logId);
                OrtStatus.Check(api.SetSessionLogId(p, id.Pointer));
            }

            selection = ApplyExecutionProvider(p, options.ExecutionProvider, availableProviders);
            return handle;
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Appends CUDA when asked. If this library has no CUDA provider, or the provider's libraries
    /// (libonnxruntime_providers_cuda.so, CUDA, cuDNN) cannot be loaded, either fails with what is
    /// missing or stays on CPU with a warning, as configured.
    /// </summary>
    private static ExecutionProviderSelection ApplyExecutionProvider(nint sessionOptions, ExecutionProviderOptions provider, IReadOnlyList<string> availableProviders)
    {
        if (provider.Kind == ExecutionProviderKind.Cpu)
        {
            return new ExecutionProviderSelection(ExecutionProviderKind.Cpu, ExecutionProviderKind.Cpu, null);
        }

        var keys = CudaProviderSettings.ToOrtKeys(provider);
        string problem;
        Exception? cause = null;
        if (!availableProviders.Contains(CudaProviderSettings.ProviderName))
        {
            problem = $"the ONNX Runtime library {OrtLibrary.Location?.Path} (version {OrtLibrary.Version}) was built without " +
                      $"{CudaProviderSettings.ProviderName} (it has: {string.Join(", ", availableProviders)}). " +
                      $"Point OnnxRuntime:LibraryPath or {OrtLibraryLocator.EnvironmentVariable} at a CUDA-enabled build of ONNX Runtime.";
        }
        else
        {
            try
            {
                AppendCuda(sessionOptions, keys);
                return new ExecutionProviderSelection(ExecutionProviderKind.Cuda, ExecutionProviderKind.Cuda, null);
            }
            catch (OrtException e)
            {
                cause = e;
                problem = $"{CudaProviderSettings.ProviderName} could not be loaded on device {provider.CudaDeviceId}: {e.Message.Trim()} " +
                          "It needs libonnxruntime_providers_cuda.so and libonnxruntime_providers_shared.so beside libonnxruntime, " +
                          "and the CUDA runtime, cuBLAS and cuDNN libraries on the loader path (LD_LIBRARY_PATH).";
            }
        }

        if (provider.OnUnavailable == ProviderUnavailableAction.Fail)
        {
            throw new ExecutionProviderUnavailableException($"CUDA execution was configured but is unavailable: {problem}", cause);
        }

        return new ExecutionProviderSelection(ExecutionProviderKind.Cuda, ExecutionProviderKind.Cpu, $"running on CPU instead of CUDA: {problem}");
    }

    private static void AppendCuda(nint sessionOptions, IReadOnlyList<KeyValuePair<string, string>> keys)
    {
        var api = OrtLibrary.Api;
        using var cudaOptions = new OrtCudaProviderOptionsHandle();
        nint created;
        OrtStatus.Check(api.CreateCUDAProviderOptions(&created));
        cudaOptions.Attach(created);

        var names = new NativeUtf8[keys.Count];
        var values = new NativeUtf8[keys.Count];
        try
        {
            var namePointers = stackalloc byte*[keys.Count];
            var valuePointers = stackalloc byte*[keys.Count];
            for (var i = 0; i < keys.Count; i++)
            {
                names[i] = new NativeUtf8(keys[i].Key);
                values[i] = new NativeUtf8(keys[i].Value);
                namePointers[i] = names[i].Pointer;
                valuePointers[i] = values[i].Pointer;
            }

            OrtStatus.Check(api.UpdateCUDAProviderOptions(cudaOptions.Pointer, namePointers, valuePointers, (nuint)keys.Count));
        }
        finally
        {
            foreach (var n in names)
            {
                n.Dispose();
            }

            foreach (var v in values)
            {
                v.Dispose();
            }
        }

        OrtStatus.Check(api.SessionOptionsAppendExecutionProvider_CUDA_V2(sessionOptions, cudaOptions.Pointer));
    }

    private static void AddConfigEntry(nint sessionOptions, string key, string value)
    {
        using var k = new NativeUtf8(key);
        using var v = new NativeUtf8(value);
        OrtStatus.Check(OrtLibrary.Api.AddSessionConfigEntry(sessionOptions, k.Pointer, v.Pointer));
    }
}
