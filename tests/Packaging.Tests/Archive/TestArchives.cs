using System.Formats.Tar;
using System.IO.Compression;
using System.Text;

namespace Inference.Packaging.Tests.Archive;

/// <summary>Builds tar and tar.gz bytes for tests, hostile ones included.</summary>
internal static class TestArchives
{
    public const string ManifestText = "service: demo\nversion: 1.0.0\n";

    public static byte[] Text(string text) => Encoding.UTF8.GetBytes(text);

    public static PaxTarEntry File(string name, byte[] data, UnixFileMode mode = UnixFileMode.UserRead | UnixFileMode.UserWrite) =>
        new(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(data), Mode = mode };

    public static PaxTarEntry Folder(string name) => new(TarEntryType.Directory, name);

    public static byte[] Tar(params TarEntry[] entries) => Tar(writer =>
    {
        foreach (var entry in entries)
        {
            writer.WriteEntry(entry);
        }
    });

    public static byte[] Tar(Action<TarWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new TarWriter(buffer, TarEntryFormat.Pax, leaveOpen: true))
        {
            write(writer);
        }

        return buffer.ToArray();
    }

    public static byte[] Gzip(byte[] data, CompressionLevel level = CompressionLevel.Fastest)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, level, leaveOpen: true))
        {
            gzip.Write(data);
        }

        return buffer.ToArray();
    }

    /// <summary>Gzips a tar followed by <paramref name="zeros"/> zero bytes inside the same gzip stream, written in chunks.</summary>
    public static byte[] GzipWithTrailingZeros(byte[] tar, long zeros)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(tar);
            var chunk = new byte[1 << 20];
            for (var left = zeros; left > 0; left -= chunk.Length)
            {
                gzip.Write(chunk, 0, (int)Math.Min(chunk.Length, left));
            }
        }

        return buffer.ToArray();
    }

    public static byte[] TarGz(params TarEntry[] entries) => Gzip(Tar(entries));

    /// <summary>A minimal valid package: a manifest and a model file.</summary>
    public static byte[] ValidPackage(string model = "weights") =>
        TarGz(File("manifest.yaml", Text(ManifestText)), Folder("model/"), File("model/model.onnx", Text(model)));

    /// <summary>Rewrites the type flag of the tar header at <paramref name="headerOffset"/> and fixes its checksum, for types TarWriter will not write.</summary>
    public static void SetTypeFlag(byte[] tar, int headerOffset, char flag)
    {
        tar[headerOffset + 156] = (byte)flag;
        var header = tar.AsSpan(headerOffset, 512);
        header.Slice(148, 8).Fill((byte)' ');
        var sum = 0;
        foreach (var b in header)
        {
            sum += b;
        }

        Encoding.ASCII.GetBytes(Convert.ToString(sum, 8).PadLeft(6, '0') + "\0 ").CopyTo(header.Slice(148, 8));
    }

    /// <summary>Deterministic bytes that compress to about half their size: random bytes, every other one zero.</summary>
    public static byte[] HalfCompressible(int length, int seed)
    {
        var data = new byte[length];
        new Random(seed).NextBytes(data);
        for (var i = 0; i < data.Length; i += 2)
        {
            data[i] = 0;
        }

        return data;
    }

    public static byte[] Random(int length, int seed)
    {
        var data = new byte[length];
        new Random(seed).NextBytes(data);
        return data;
    }
}
