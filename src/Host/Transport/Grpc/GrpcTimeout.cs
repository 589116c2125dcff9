using System.Diagnostics.CodeAnalysis;

namespace Inference.Host.Transport.Grpc;

/// <summary>
/// The <c>grpc-timeout</c> header: 1 to 8 ASCII digits and a unit, H (hours), M (minutes), S (seconds),
/// m (milliseconds), u (microseconds), n (nanoseconds). It becomes the call's deadline, counted from
/// the call's arrival, in the microseconds our request deadlines use.
/// </summary>
public static class GrpcTimeout
{
    private const int MaxDigits = 8;

    public static bool TryParse(string? value, [NotNullWhen(true)] out long? microseconds)
    {
        microseconds = null;
        if (value is null || value.Length < 2 || value.Length > MaxDigits + 1)
        {
            return false;
        }

        long amount = 0;
        for (var i = 0; i < value.Length - 1; i++)
        {
            var c = value[i];
            if (c is < '0' or > '9')
            {
                return false;
            }

            amount = (amount * 10) + (c - '0');
        }

        microseconds = value[^1] switch
        {
            'H' => amount * 3_600_000_000,
            'M' => amount * 60_000_000,
            'S' => amount * 1_000_000,
            'm' => amount * 1_000,
            'u' => amount,
            // Rounded up: a deadline of a few nanoseconds is a deadline, never 0 (which would mean none).
            'n' => (amount + 999) / 1_000,
            _ => null,
        };

        // 0 is "no deadline" to our requests; a gRPC timeout of 0 is a deadline that has already passed.
        if (microseconds == 0)
        {
            microseconds = 1;
        }

        return microseconds is not null;
    }

    /// <summary>The earlier of two deadlines in microseconds from the same arrival, where 0 means none.</summary>
    public static long Earlier(long first, long? second) => second switch
    {
        null or <= 0 => first,
        { } s when first <= 0 => s,
        { } s => Math.Min(first, s),
    };
}
