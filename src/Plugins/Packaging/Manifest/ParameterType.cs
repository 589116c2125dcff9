namespace Inference.Packaging.Manifest;

/// <summary>Data types of function parameters (整数型, 浮点型, 枚举型, 布尔型, 字符串, 时间型).</summary>
public enum ParameterType
{
    Integer,
    Float,
    Enum,
    Boolean,
    String,
    Time,
}
