using System.Globalization;

namespace Inference.WebSocketLoad;

/// <summary>The host's resident memory, read from /proc (the host runs on the same machine).</summary>
internal static class HostMemory
{
    public static long? ResidentBytes(int? pid)
    {
        if (pid is null)
        {
            return null;
        }

        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
            }
        }

        return null;
    }
}
