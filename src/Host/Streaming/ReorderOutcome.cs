namespace Inference.Host.Streaming;

/// <summary>What a <see cref="ReorderWindow{T}"/> did with an item.</summary>
public enum ReorderOutcome
{
    /// <summary>It was the next in order: use it now (it was not stored), then take those now in order after it.</summary>
    InOrder,

    /// <summary>It is ahead of the next one: kept until the gap before it fills.</summary>
    Held,

    /// <summary>Its number was already received (delivered or held).</summary>
    Duplicate,

    /// <summary>Its number is a window or more ahead of the next one: the gap cannot be held.</summary>
    BeyondWindow,
}
