namespace Inference.LoadGenerator.Cli;

/// <summary>What the generator's exit status means to the scripts that run it.</summary>
internal static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>The run finished but some level got no HTTP answer at all (nothing listening, every request failing in transport).</summary>
    public const int NoAnswers = 1;

    /// <summary>The command line is wrong, or names a file or process that is not there.</summary>
    public const int UsageError = 2;
}
