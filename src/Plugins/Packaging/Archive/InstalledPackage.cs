namespace Inference.Packaging.Archive;

/// <summary>A package that is now in place.</summary>
/// <param name="Package">Its service and version, from the file name.</param>
/// <param name="Directory">The install folder, <c>&lt;root&gt;/&lt;service&gt;/&lt;version&gt;</c>.</param>
/// <param name="ManifestPath">The manifest at the folder's root (for the manifest reader).</param>
/// <param name="Md5">The package's digest, as computed while installing (equal to the expected one).</param>
/// <param name="PackageBytes">Size of the compressed package.</param>
/// <param name="Contents">What was extracted.</param>
/// <param name="Replaced">Whether an earlier install of the same version was replaced.</param>
public sealed record InstalledPackage(
    PackageFileName Package,
    string Directory,
    string ManifestPath,
    Md5Digest Md5,
    long PackageBytes,
    ExtractionResult Contents,
    bool Replaced);
