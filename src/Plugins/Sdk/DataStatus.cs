namespace Inference.Plugins.Sdk;

/// <summary>A chunk's place in a stream (the ASE statuses), or Once for one-shot data.</summary>
public enum DataStatus
{
    Begin = 0,
    Continue = 1,
    End = 2,
    Once = 3,
}
