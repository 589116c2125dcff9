using System.Globalization;

namespace Inference.Host.Protocol.Oip;

/// <summary>
/// Whose "parameters" object is being read (the request, or an input or output by name or position),
/// for error messages: kept as parts and formatted only when a message is made.
/// </summary>
internal readonly struct ParameterOwner
{
    private readonly string kind;
    private readonly string? name;
    private readonly int index;

    private ParameterOwner(string kind, string? name, int index)
    {
        this.kind = kind;
        this.name = name;
        this.index = index;
    }

    public static ParameterOwner Request => new("request", null, -1);

    public static ParameterOwner Input(string? name, int index) => new("input", name, index);

    public static ParameterOwner Output(string? name, int index) => new("output", name, index);

    public override string ToString() =>
        index < 0 ? kind : $"{kind} '{name ?? index.ToString(CultureInfo.InvariantCulture)}'";
}
