namespace Inference.Host.Registry;

/// <summary>The protocol's names for model states.</summary>
public static class ModelStateNames
{
    public static string Of(ModelState state) => state switch
    {
        ModelState.Ready => "READY",
        ModelState.Loading => "LOADING",
        _ => "UNAVAILABLE",
    };
}
