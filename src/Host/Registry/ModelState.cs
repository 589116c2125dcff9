namespace Inference.Host.Registry;

/// <summary>Where a model version is in its life; shown as READY, LOADING, UNAVAILABLE.</summary>
public enum ModelState
{
    Loading,
    Ready,
    Unavailable,
}
