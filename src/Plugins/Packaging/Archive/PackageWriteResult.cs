namespace Inference.Packaging.Archive;

/// <summary>A package written by <see cref="PackageWriter"/>: where, its digest, and how much went in.</summary>
public sealed record PackageWriteResult(string PackagePath, string SidecarPath, Md5Digest Digest, int FileCount, long ContentBytes, long PackageBytes);
