namespace Inference.LoadGenerator.Http;

/// <summary>Where <see cref="HttpResponseParser"/> is within one response.</summary>
internal enum ResponseParserState
{
    StatusLine,
    Headers,
    Body,
    ChunkSize,
    ChunkData,
    ChunkDataEnd,
    Trailers,
    UntilClose,
    Complete,
}
