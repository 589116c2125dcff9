using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;
using Inference.Packaging.Archive;

namespace Inference.Benchmarks;

/// <summary>
/// Install throughput of a ~200 MB package (MD5 + safe extraction + staged move), the figure issue 3
/// asks for. Builds <c>bench-1.0.0.tar.gz</c> in a temp folder: a manifest and four 77 MiB files of
/// random bytes with every other byte zeroed (about 50% compressible), then installs it seven times
/// into fresh roots and reports the median.
/// Run: <c>dotnet bench/Benchmarks/bin/Release/net10.0/Inference.Benchmarks.dll package-install</c>.
/// </summary>
public static class PackageInstallBenchmark
{
    public static void Run(int runs = 7)
    {
        var work = Directory.CreateTempSubdirectory("package-install-");
        try
        {
            var package = Path.Combine(work.FullName, "bench-1.0.0.tar.gz");
            var uncompressed = Build(package);
            var compressed = new FileInfo(package).Length;
            using (var stream = File.OpenRead(package))
            {
                File.WriteAllText(Md5Digest.SidecarPathFor(package), Md5Digest.Compute(stream).ToSidecarLine(Path.GetFileName(package)));
            }

            var seconds = new List<double>();
            for (var i = 0; i < runs; i++)
            {
                var root = Path.Combine(work.FullName, $"root{i}");
                var clock = Stopwatch.StartNew();
                new PackageInstaller(root).Install(package);
                seconds.Add(clock.Elapsed.TotalSeconds);
                Directory.Delete(root, recursive: true);
            }

            seconds.Sort();
            var median = seconds[runs / 2];
            Console.WriteLine($"package: {compressed / 1e6:F1} MB compressed, {uncompressed / 1e6:F1} MB extracted");
            Console.WriteLine($"install median of {runs}: {median:F2} s = {compressed / 1e6 / median:F0} MB/s compressed, {uncompressed / 1e6 / median:F0} MB/s extracted (range {seconds[0]:F2}-{seconds[^1]:F2} s)");
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private static long Build(string path)
    {
        const int FileBytes = 77 * 1024 * 1024;
        var random = new Random(42);
        var content = new byte[FileBytes];
        long total = 0;
        using var file = File.Create(path);
        using var gzip = new GZipStream(file, CompressionLevel.Optimal);
        using var tar = new TarWriter(gzip, TarEntryFormat.Pax);
        var manifest = new PaxTarEntry(TarEntryType.RegularFile, "manifest.yaml") { DataStream = new MemoryStream("service: { id: bench, version: 1.0.0 }\n"u8.ToArray()) };
        tar.WriteEntry(manifest);
        for (var f = 0; f < 4; f++)
        {
            random.NextBytes(content);
            for (var i = 0; i < content.Length; i += 2)
            {
                content[i] = 0;
            }

            tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, $"model/part{f}.bin") { DataStream = new MemoryStream(content, writable: false) });
            total += content.Length;
        }

        return total;
    }
}
