namespace Inference.Native;

/// <summary>The ABI's <c>DataStatus</c>: a chunk's place in a stream, or Once for one-shot data.</summary>
public enum WrapperDataStatus
{
    Begin = 0,
    Continue = 1,
    End = 2,
    Once = 3,
}
