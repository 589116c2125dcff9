namespace Inference.Packaging.Archive;

/// <summary>
/// Carries a <see cref="PackageError"/> out of the extraction and install code, which is deep in stream
/// callbacks where returning an error value is not possible; callers catch it at their boundary.
/// </summary>
public sealed class PackageException : Exception
{
    public PackageException(PackageError error, Exception? innerException = null)
        : base(error.Message, innerException)
    {
        Error = error;
    }

    public PackageException(PackageErrorCode code, string message, Exception? innerException = null)
        : this(new PackageError(code, message), innerException)
    {
    }

    public PackageError Error { get; }

    public PackageErrorCode Code => Error.Code;
}
