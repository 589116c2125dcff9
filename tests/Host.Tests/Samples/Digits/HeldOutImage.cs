namespace Inference.Host.Tests.Samples.Digits;

/// <summary>
/// One image of the held-out split as the training script wrote it: its dataset index, true label, the
/// prediction the script computed, the raw 8x8 values (0..16) and the pre-processed features it computed.
/// </summary>
internal sealed record HeldOutImage(int Index, int Label, int Predicted, byte[] Values, float[] Features);
