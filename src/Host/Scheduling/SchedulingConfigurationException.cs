namespace Inference.Host.Scheduling;

/// <summary>A model's scheduling configuration is invalid; the message names the key.</summary>
public sealed class SchedulingConfigurationException(string message) : Exception(message);
