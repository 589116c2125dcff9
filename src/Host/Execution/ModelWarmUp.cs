using Inference.Host.Scheduling;
using Inference.Onnx.Runtime;
using Inference.Onnx.Tensors;

namespace Inference.Host.Execution;

/// <summary>
/// Runs a model once on generated inputs (zeros, empty strings; every dynamic dimension 1) before it is
/// reported ready, so that ORT's lazy initialisation (kernel selection, arena growth, CUDA context and
/// cuDNN autotuning) is paid at load rather than by the first client. Generated inputs may not suit
/// every model (a Reshape to a fixed size, say): a failed warm-up is a warning, not a refusal.
/// </summary>
public static class ModelWarmUp
{
    /// <summary>Runs the session once; the problem when it failed, null when it ran.</summary>
    public static string? Run(InferenceSession session) => Run(session, null);

    /// <summary>
    /// Runs the instance once the way it serves (plainly or through its IoBinding, so a bound instance
    /// has its binding made and its output memory used before the first client); the problem when it
    /// failed, null when it ran. Call before the instance serves: it is not taken from its pool.
    /// </summary>
    public static string? Run(ModelInstance instance) => Run(instance.Session, instance);

    private static string? Run(InferenceSession session, ModelInstance? instance)
    {
        var inputs = new OrtValue[session.Inputs.Count];
        var outputs = new OrtValue?[session.Outputs.Count];
        try
        {
            for (var i = 0; i < inputs.Length; i++)
            {
                inputs[i] = Generate(session.Inputs[i]);
            }

            var inputIndices = Enumerable.Range(0, inputs.Length).ToArray();
            var outputIndices = Enumerable.Range(0, outputs.Length).ToArray();
            if (instance is null)
            {
                session.Run(inputIndices, inputs, outputIndices, outputs);
            }
            else
            {
                using var runOptions = new OrtRunOptions();
                instance.Run(inputIndices, inputs, outputIndices, outputs, runOptions);
            }

            return null;
        }
        catch (Exception e) when (e is Onnx.Binding.OrtException or ArgumentException or OverflowException)
        {
            return $"warm-up on generated inputs failed (the model stays ready; its first request pays the start-up instead): {e.Message}";
        }
        finally
        {
            foreach (var value in inputs.Concat(outputs))
            {
                value?.Dispose();
            }
        }
    }

    private static OrtValue Generate(TensorMetadata input)
    {
        var shape = input.Shape.Select(d => d < 0 ? 1 : d).ToArray();
        if (input.ElementType == TensorElementType.String)
        {
            var count = checked((int)shape.Aggregate(1L, (a, b) => a * b));
            return OrtValue.CreateStringTensor(shape, Enumerable.Repeat(ReadOnlyMemory<byte>.Empty, count).ToArray());
        }

        var value = OrtValue.AllocateTensor(input.ElementType, shape);
        value.GetBytes().Clear();
        return value;
    }
}
