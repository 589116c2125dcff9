using System.Globalization;
using System.Text.Json;

namespace Inference.Host.Tests.Samples.Digits;

/// <summary>The held-out split and the accuracy the training script measured on it (heldout.csv, metrics.json).</summary>
internal static class HeldOutSet
{
    private static readonly Lazy<IReadOnlyList<HeldOutImage>> Images = new(Load);

    public static IReadOnlyList<HeldOutImage> All => Images.Value;

    /// <summary>Test accuracy of the exported weights, as measured in Python.</summary>
    public static double PythonAccuracy
    {
        get
        {
            using var metrics = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(DigitsPaths.Training, "metrics.json")));
            return metrics.RootElement.GetProperty("test_accuracy").GetDouble();
        }
    }

    private static IReadOnlyList<HeldOutImage> Load()
    {
        var lines = File.ReadAllLines(Path.Combine(DigitsPaths.Training, "heldout.csv"));
        Assert.StartsWith("index,label,predicted,p0,", lines[0], StringComparison.Ordinal);
        return lines.Skip(1).Select(line =>
        {
            var f = line.Split(',');
            Assert.Equal(3 + 64 + 64, f.Length);
            return new HeldOutImage(
                int.Parse(f[0], CultureInfo.InvariantCulture),
                int.Parse(f[1], CultureInfo.InvariantCulture),
                int.Parse(f[2], CultureInfo.InvariantCulture),
                f[3..67].Select(v => byte.Parse(v, CultureInfo.InvariantCulture)).ToArray(),
                f[67..].Select(v => float.Parse(v, CultureInfo.InvariantCulture)).ToArray());
        }).ToList();
    }
}
