namespace Inference.Samples.Digits;

/// <summary>One digit and the model's probability for it.</summary>
internal readonly record struct DigitScore(int Digit, double Probability);
