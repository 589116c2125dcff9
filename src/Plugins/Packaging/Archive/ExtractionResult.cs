namespace Inference.Packaging.Archive;

/// <summary>What an extraction wrote.</summary>
/// <param name="FileCount">Regular files written.</param>
/// <param name="DirectoryCount">Folders named by entries of their own (not those made implicitly for a file's path).</param>
/// <param name="TotalBytes">Bytes of file content written, counted as written.</param>
/// <param name="ExpandedBytes">Bytes that came out of the gzip stream: content plus tar headers and padding.</param>
public sealed record ExtractionResult(int FileCount, int DirectoryCount, long TotalBytes, long ExpandedBytes);
