namespace Inference.Host.Protocol.Oip.Messages;

/// <summary>One row of POST /v2/repository/index.</summary>
public sealed record RepositoryIndexEntry(string Name, string Version, string State, string Reason);
