namespace Inference.Host.TestCases;

/// <summary>How one of a manifest's test cases went: passed, or each way the response fell short.</summary>
public sealed record TestCaseOutcome(string Name, bool Passed, TimeSpan Duration, IReadOnlyList<string> Failures);
