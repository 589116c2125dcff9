using System.Buffers;
using System.Formats.Tar;
using System.IO.Compression;

namespace Inference.Packaging.Archive;

/// <summary>
/// Extracts a <c>.tar.gz</c> stream into an empty folder, refusing anything that could write outside it
/// or that is not a plain file or folder, and stopping archive bombs by counting bytes as they are
/// decompressed and written (headers are only used to refuse early, never to allow).
/// </summary>
/// <remarks>
/// <para>The layers, from the caller's stream up: <see cref="GzipFramingStream"/> (gzip magic and trailer),
/// <see cref="GZipStream"/>, <see cref="ExpansionLimitStream"/> (the budgets for expanded bytes and for headers), <see cref="TarReader"/>.
/// The whole input is read, to its end: the tar end-of-archive marker and the gzip trailer must both be
/// there, so a cut-short download is refused even where the readers themselves would not notice.</para>
/// <para>On failure the destination may hold part of the archive; the caller extracts into a staging
/// folder it deletes (see <see cref="PackageInstaller"/>).</para>
/// <para>Accepted entry types: regular files, folders, and PAX global headers (ignored; git archive
/// writes one). Refused: symbolic and hard links (all of them, see <see cref="ExtractionRun"/>),
/// devices, FIFOs, sparse and other special types.</para>
/// </remarks>
public sealed class SafeArchiveExtractor
{
    /// <summary>Large enough that GZipStream inflates straight into it and each write is one system call per MiB.</summary>
    private const int CopyBufferSize = 1 << 20;

    public SafeArchiveExtractor(PackageLimits? limits = null)
    {
        Limits = limits ?? new PackageLimits();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Limits.MaxEntries, nameof(limits));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Limits.MaxTotalBytes, nameof(limits));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Limits.MaxFileBytes, nameof(limits));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Limits.MaxPathLength, nameof(limits));
    }

    public PackageLimits Limits { get; }

    /// <summary>Extracts <paramref name="package"/> (read to its end, not disposed) into <paramref name="destination"/>, which must be empty or absent.</summary>
    /// <exception cref="PackageException">The archive is refused; the message names the entry.</exception>
    public ExtractionResult Extract(Stream package, string destination, CancellationToken cancellationToken = default)
    {
        var run = Begin(package, destination);
        var framing = new GzipFramingStream(package);
        using var gzip = new GZipStream(framing, CompressionMode.Decompress, leaveOpen: true);
        using var expansion = new ExpansionLimitStream(gzip, ExtractionRun.ExpansionBudget(Limits), ExtractionRun.HeaderBudget(Limits));
        using var reader = new TarReader(expansion, leaveOpen: true);
        var buffer = ArrayPool<byte>.Shared.Rent(CopyBufferSize);
        try
        {
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                expansion.BeginHeaders();
                var entry = reader.GetNextEntry(copyData: false);
                if (entry is null)
                {
                    break;
                }

                var path = run.Admit(entry, expansion.BytesRead);
                if (path is null)
                {
                    continue;
                }

                expansion.BeginContent();
                using var output = run.CreateFile(path, entry);
                long written = 0;
                if (entry.DataStream is { } data)
                {
                    int read;
                    while ((read = data.Read(buffer, 0, CopyBufferSize)) > 0)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        run.CountChunk(written, read);
                        try
                        {
                            output.Write(buffer, 0, read);
                        }
                        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                        {
                            throw run.WriteFailed(ex);
                        }

                        written += read;
                    }
                }

                run.CompleteFile(output, written);
            }

            run.EndOfEntries(expansion.BytesRead);
            expansion.BeginContent();

            // What follows the end-of-archive marker (tar's record padding) still has to be expanded to
            // reach the gzip trailer; it is counted against the budget like everything else.
            expansion.DrainToEnd(buffer);
            framing.DrainToEnd(buffer);
            run.CheckGzipEnd(framing, expansion.BytesRead);
            return run.Result(expansion.BytesRead);
        }
        catch (Exception ex) when (run.TryTranslateReadFault(ex, framing, expansion, out var translated))
        {
            throw translated;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <inheritdoc cref="Extract"/>
    public async Task<ExtractionResult> ExtractAsync(Stream package, string destination, CancellationToken cancellationToken = default)
    {
        var run = Begin(package, destination);
        var framing = new GzipFramingStream(package);
        await using var gzip = new GZipStream(framing, CompressionMode.Decompress, leaveOpen: true);
        await using var expansion = new ExpansionLimitStream(gzip, ExtractionRun.ExpansionBudget(Limits), ExtractionRun.HeaderBudget(Limits));
        await using var reader = new TarReader(expansion, leaveOpen: true);
        var buffer = ArrayPool<byte>.Shared.Rent(CopyBufferSize);
        try
        {
            while (true)
            {
                expansion.BeginHeaders();
                var entry = await reader.GetNextEntryAsync(copyData: false, cancellationToken).ConfigureAwait(false);
                if (entry is null)
                {
                    break;
                }

                var path = run.Admit(entry, expansion.BytesRead);
                if (path is null)
                {
                    continue;
                }

                expansion.BeginContent();
                await using var output = run.CreateFile(path, entry);
                long written = 0;
                if (entry.DataStream is { } data)
                {
                    int read;
                    while ((read = await data.ReadAsync(buffer.AsMemory(0, CopyBufferSize), cancellationToken).ConfigureAwait(false)) > 0)
                    {
                        run.CountChunk(written, read);
                        try
                        {
                            await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                        }
                        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                        {
                            throw run.WriteFailed(ex);
                        }

                        written += read;
                    }
                }

                run.CompleteFile(output, written);
            }

            run.EndOfEntries(expansion.BytesRead);
            expansion.BeginContent();
            await expansion.DrainToEndAsync(buffer, cancellationToken).ConfigureAwait(false);
            await framing.DrainToEndAsync(buffer, cancellationToken).ConfigureAwait(false);
            run.CheckGzipEnd(framing, expansion.BytesRead);
            return run.Result(expansion.BytesRead);
        }
        catch (Exception ex) when (run.TryTranslateReadFault(ex, framing, expansion, out var translated))
        {
            throw translated;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private ExtractionRun Begin(Stream package, string destination)
    {
        ArgumentNullException.ThrowIfNull(package);
        ArgumentException.ThrowIfNullOrEmpty(destination);

        // An empty destination is what makes "refuse duplicates" and "never overwrite" mean something:
        // every file in it afterwards came from this archive.
        Directory.CreateDirectory(destination);
        if (Directory.EnumerateFileSystemEntries(destination).Any())
        {
            throw new ArgumentException($"the destination '{destination}' is not empty", nameof(destination));
        }

        return new ExtractionRun(Limits, destination);
    }
}
