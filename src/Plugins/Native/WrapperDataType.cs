namespace Inference.Native;

/// <summary>The ABI's <c>DataType</c>.</summary>
public enum WrapperDataType
{
    Text = 0,
    Audio = 1,
    Image = 2,
    Video = 3,
    Personalization = 4,
}
