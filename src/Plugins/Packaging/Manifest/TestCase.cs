namespace Inference.Packaging.Manifest;

/// <summary>
/// A test case run by `validate` and at warm-up: parameters, request data per segment (a file in the
/// package or inline text), and what each response segment must satisfy.
/// </summary>
public sealed record TestCase(
    string Name,
    IReadOnlyDictionary<string, object?> Parameters,
    IReadOnlyDictionary<string, TestData> Request,
    IReadOnlyDictionary<string, TestExpectation> Expect);
