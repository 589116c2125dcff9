namespace Inference.Host.Errors;

/// <summary>
/// Carries an <see cref="InferenceError"/> out of deep parsing code; the protocol layer catches it
/// at its boundary and hands the error on as a value.
/// </summary>
public sealed class InferenceException(InferenceError error) : Exception(error.Message)
{
    public InferenceError Error { get; } = error;
}
