namespace Inference.Packaging.Archive;

/// <summary>A refused package as a value: the code decides what the caller does, the message names the entry or file at fault.</summary>
public sealed record PackageError(PackageErrorCode Code, string Message);
