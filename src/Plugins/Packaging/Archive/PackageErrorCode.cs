namespace Inference.Packaging.Archive;

/// <summary>Why a package was refused; callers (the CLI, the upload endpoint) map these to exit codes and statuses.</summary>
public enum PackageErrorCode
{
    /// <summary>The package's MD5 is not the expected one: a corrupted or truncated transfer, or the wrong file.</summary>
    DigestMismatch,

    /// <summary>No MD5 was given and no usable sidecar <c>&lt;file&gt;.md5</c> lies next to the package.</summary>
    DigestMissing,

    /// <summary>An entry that could write outside the install folder or is not a plain file or folder.</summary>
    UnsafeEntry,

    /// <summary>More entries, bytes or path characters than <see cref="PackageLimits"/> allows.</summary>
    LimitExceeded,

    /// <summary>Not gzip, not tar, or cut short.</summary>
    CorruptArchive,

    /// <summary>The file is not named <c>&lt;service&gt;-&lt;MAJOR.MINOR.PATCH&gt;.tar.gz</c>.</summary>
    BadFileName,

    /// <summary>No (single) <c>manifest.yaml</c>, <c>manifest.yml</c> or <c>manifest.json</c> at the package root.</summary>
    ManifestMissing,

    /// <summary>This service and version are installed already and the caller did not ask to replace them.</summary>
    AlreadyInstalled,

    /// <summary>Reading the package or writing the install failed (missing file, disk full, permissions).</summary>
    Io,
}
