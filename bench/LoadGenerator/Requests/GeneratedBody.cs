namespace Inference.LoadGenerator.Requests;

/// <summary>A request body and the headers that must travel with it.</summary>
internal sealed record GeneratedBody(byte[] Bytes, IReadOnlyList<HeaderField> Headers);
