using System.Text;
using System.Text.Json;

namespace Inference.Host.Tests.Transport.Sse;

/// <summary>Reads a <c>text/event-stream</c> body event by event: its type (null for plain data) and its data as JSON.</summary>
public sealed class EventStreamReader(Stream body)
{
    private readonly StreamReader reader = new(body, Encoding.UTF8);

    /// <summary>The next event, or null at the end of the stream.</summary>
    public async Task<(string? Event, JsonElement Data)?> NextAsync(CancellationToken cancellationToken)
    {
        string? type = null;
        var data = new StringBuilder();
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length == 0)
            {
                if (data.Length > 0)
                {
                    return (type, JsonDocument.Parse(data.ToString()).RootElement.Clone());
                }

                continue;
            }

            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                type = line["event: ".Length..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                data.Append(line["data: ".Length..]);
            }
            else
            {
                throw new FormatException($"not an event-stream line: '{line}'");
            }
        }

        Assert.True(data.Length == 0, "the stream ended inside an event");
        return null;
    }

    public async Task<List<(string? Event, JsonElement Data)>> ReadAllAsync(CancellationToken cancellationToken)
    {
        var events = new List<(string? Event, JsonElement Data)>();
        while (await NextAsync(cancellationToken) is { } next)
        {
            events.Add(next);
        }

        return events;
    }
}
