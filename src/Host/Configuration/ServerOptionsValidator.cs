using System.Net;
using Microsoft.Extensions.Options;

namespace Inference.Host.Configuration;

/// <summary>Checks what data annotations cannot: that the listen address is an IP address.</summary>
public sealed class ServerOptionsValidator : IValidateOptions<ServerOptions>
{
    public ValidateOptionsResult Validate(string? name, ServerOptions options) =>
        IPAddress.TryParse(options.HttpAddress, out _)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"Host:HttpAddress '{options.HttpAddress}' is not an IP address (use 127.0.0.1, 0.0.0.0, ::1 or ::).");
}
