using Inference.Host.Configuration;
using Inference.Host.Observability;
using Inference.Onnx.Binding;
using Inference.Onnx.Runtime;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Inference.Host.Execution;

/// <summary>Creates the process's ORT environment: finds and loads the library, routes ORT's log, logs what was loaded.</summary>
public static class OrtEnvironmentFactory
{
    public static OrtEnvironment Create(IOptions<OnnxRuntimeOptions> options, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger("Inference.Host.OnnxRuntime");
        var location = OrtLibraryLocator.ResolveDefault(options.Value.LibraryPath);
        var environment = OrtEnvironment.Create(location, options.Value.LogLevel, (severity, category, message) => HostLog.Ort(logger, severity, category, message));
        HostLog.OrtLoaded(logger, environment.Version, location.Path, location.Source, string.Join(", ", environment.AvailableProviders));
        return environment;
    }
}
