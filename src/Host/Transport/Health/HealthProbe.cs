using Inference.Host.Admission;
using Inference.Host.Engines;
using Inference.Host.Registry;

namespace Inference.Host.Transport.Health;

/// <summary>
/// The server's readiness, asked by <c>/v2/health/ready</c> on the HTTP port and by the dedicated
/// health listener alike: the repository and the packages are loaded and no gate is above the
/// configured readiness load threshold. Liveness is answering at all.
/// </summary>
public sealed class HealthProbe(ModelRegistry models, EngineRegistry engines, LoadReadiness load)
{
    public bool IsReady() => models.IsRepositoryLoaded && engines.IsLoaded && !load.AnyOverloaded();
}
