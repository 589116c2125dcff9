namespace Inference.Cli;

/// <summary>What the tool's exit status means, so scripts and CI can tell a failed test from a broken plugin.</summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>The plugin loaded but some of its test cases failed (or it has none).</summary>
    public const int TestsFailed = 1;

    /// <summary>The plugin cannot be used as it is: bad manifest, failed build, missing files, load failure.</summary>
    public const int PluginInvalid = 2;

    /// <summary>The command line or the environment is wrong: bad arguments, a folder in the way.</summary>
    public const int UsageError = 3;
}
