using System.Diagnostics;
using Inference.Host.Configuration;
using Inference.Host.Observability;
using Inference.Host.Registry;
using Inference.Onnx.Runtime;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Inference.Host.Execution;

/// <summary>Loads model versions into ORT sessions; a failure becomes an UNAVAILABLE entry with the reason.</summary>
public sealed class OnnxModelLoader(OrtEnvironment environment, IOptions<OnnxRuntimeOptions> options, TimeProvider time, ILogger<OnnxModelLoader> logger)
{
    public ModelVersionEntry Load(ModelSource source)
    {
        if (source.Problem is { } problem)
        {
            HostLog.ModelUnavailable(logger, source.Name, source.Version, problem);
            return new ModelVersionEntry(source.Name, source.Version, ModelState.Unavailable, problem, null);
        }

        var started = Stopwatch.GetTimestamp();
        try
        {
            var session = InferenceSession.Create(environment, source.Path, options.Value.ToSessionOptions($"{source.Name}:{source.Version}"));
            if (session.Provider.Warning is { } warning)
            {
                HostLog.ProviderFallback(logger, source.Name, source.Version, warning);
            }

            var unsupported = session.Inputs.Concat(session.Outputs).FirstOrDefault(t => t.ValueType != Onnx.Binding.OnnxValueType.Tensor);
            if (unsupported is not null)
            {
                session.Dispose();
                return Unavailable(source, $"'{unsupported.Name}' is a {unsupported.ValueType}, not a tensor; only tensor inputs and outputs can be served");
            }

            var model = new OnnxModel(source.Name, source.Version, session, new ModelStatistics(time));
            HostLog.ModelReady(logger, source.Name, source.Version, session.Provider.Effective.ToString(), session.Inputs.Count, session.Outputs.Count, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            return new ModelVersionEntry(source.Name, source.Version, ModelState.Ready, null, model);
        }
        catch (ExecutionProviderUnavailableException)
        {
            throw;
        }
        catch (Exception e) when (e is Onnx.Binding.OrtException or IOException or UnauthorizedAccessException)
        {
            return Unavailable(source, $"failed to load {source.Path}: {e.Message}");
        }
    }

    private ModelVersionEntry Unavailable(ModelSource source, string reason)
    {
        HostLog.ModelUnavailable(logger, source.Name, source.Version, reason);
        return new ModelVersionEntry(source.Name, source.Version, ModelState.Unavailable, reason, null);
    }
}
