namespace Inference.Host.Admission;

/// <summary>How a request fared at the gate.</summary>
public enum AdmissionDecision
{
    /// <summary>It holds a slot and may run.</summary>
    Admitted,

    /// <summary>Max concurrency was reached (running + queued): refused at once, never queued.</summary>
    Rejected,

    /// <summary>The caller went away while it waited; it never ran.</summary>
    Cancelled,

    /// <summary>Its deadline passed while it waited; it never ran.</summary>
    Expired,
}
