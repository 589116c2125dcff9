using System.Net;
using Microsoft.Extensions.Options;

namespace Inference.Host.Configuration;

/// <summary>Checks what data annotations cannot: that the listen address is an IP address, that the ports differ, and that the default limits and the streaming timeouts fit together.</summary>
public sealed class ServerOptionsValidator : IValidateOptions<ServerOptions>
{
    public ValidateOptionsResult Validate(string? name, ServerOptions options)
    {
        if (!IPAddress.TryParse(options.HttpAddress, out _))
        {
            return ValidateOptionsResult.Fail($"Host:HttpAddress '{options.HttpAddress}' is not an IP address (use 127.0.0.1, 0.0.0.0, ::1 or ::).");
        }

        if (options.HealthPort is { } health and not 0 && health == options.HttpPort)
        {
            return ValidateOptionsResult.Fail($"Host:HealthPort ({health}) must differ from Host:HttpPort ({options.HttpPort}).");
        }

        if (options.GrpcPort != 0 && options.GrpcPort == options.HttpPort)
        {
            return ValidateOptionsResult.Fail($"Host:GrpcPort ({options.GrpcPort}) must differ from Host:HttpPort ({options.HttpPort}).");
        }

        if (options.HealthPort is { } healthPort and not 0 && healthPort == options.GrpcPort)
        {
            return ValidateOptionsResult.Fail($"Host:HealthPort ({healthPort}) must differ from Host:GrpcPort ({options.GrpcPort}).");
        }

        if (options.DefaultMaxConcurrency < options.DefaultOptimalConcurrency)
        {
            return ValidateOptionsResult.Fail($"Host:DefaultMaxConcurrency ({options.DefaultMaxConcurrency}) must be at least Host:DefaultOptimalConcurrency ({options.DefaultOptimalConcurrency}).");
        }

        if (options.StreamIdleTimeoutSeconds > options.StreamMaxLifetimeSeconds)
        {
            return ValidateOptionsResult.Fail($"Host:StreamIdleTimeoutSeconds ({options.StreamIdleTimeoutSeconds}) must not exceed Host:StreamMaxLifetimeSeconds ({options.StreamMaxLifetimeSeconds}).");
        }

        return ValidateOptionsResult.Success;
    }
}
