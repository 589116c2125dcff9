using Inference.Onnx.Runtime;
using Inference.Onnx.Tensors;

namespace Inference.Host.Scheduling;

/// <summary>What of a model can be batched: inputs must all have a dynamic first dimension; outputs without one cannot be split.</summary>
public static class BatchingSupport
{
    /// <summary>Why requests to a model with these inputs cannot be merged; null when they can.</summary>
    public static string? InputProblem(IReadOnlyList<TensorMetadata> inputs)
    {
        if (inputs.Count == 0)
        {
            return "the model has no inputs";
        }

        foreach (var input in inputs)
        {
            if (input.Shape.Count == 0 || input.Shape[0] >= 0)
            {
                return $"input '{input.Name}' has shape {TensorShape.Format(input.Shape)}; batching needs every input's first dimension to be dynamic (-1)";
            }
        }

        return null;
    }

    /// <summary>Per output, whether it has a dynamic first dimension that a batch can be split along.</summary>
    public static bool[] SplittableOutputs(IReadOnlyList<TensorMetadata> outputs) =>
        outputs.Select(o => o.Shape.Count > 0 && o.Shape[0] < 0).ToArray();
}
