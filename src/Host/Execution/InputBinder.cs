using Inference.Host.Buffers;
using Inference.Host.Errors;
using Inference.Host.Protocol.Oip;
using Inference.Onnx.Runtime;
using Inference.Onnx.Tensors;

namespace Inference.Host.Execution;

/// <summary>
/// Checks a decoded request against the model (names, datatypes, shapes, requested outputs) and
/// wraps each input's buffer in an ORT value without copying. Every mismatch is a 400 naming the
/// input and what the model expects.
/// </summary>
public static unsafe class InputBinder
{
    public static BoundInputs Bind(OnnxModel model, InferRequest request) => Bind(model, request, null);

    /// <summary>As <see cref="Bind(OnnxModel, InferRequest)"/>, with the result taken from <paramref name="pool"/> (tests).</summary>
    internal static BoundInputs Bind(OnnxModel model, InferRequest request, ReusePool<BoundInputs>? pool)
    {
        const int StackLimit = 64;
        var inputs = model.Inputs;
        var given = request.Inputs;
        Span<int> indices = given.Count <= StackLimit ? stackalloc int[given.Count] : new int[given.Count];
        Span<bool> seen = inputs.Count <= StackLimit ? stackalloc bool[inputs.Count] : new bool[inputs.Count];
        for (var i = 0; i < given.Count; i++)
        {
            var input = given[i];
            var index = model.Session.GetInputIndex(input.Name);
            if (index < 0)
            {
                throw Invalid($"model '{model.Name}' has no input named '{input.Name}' (its inputs: {string.Join(", ", inputs.Select(m => m.Name))})");
            }

            if (seen[index])
            {
                throw Invalid($"input '{input.Name}' is given more than once");
            }

            seen[index] = true;
            indices[i] = index;
            CheckMatches(model, inputs[index], input);
        }

        for (var i = 0; i < inputs.Count; i++)
        {
            if (!seen[i])
            {
                throw Invalid($"model '{model.Name}' needs input '{inputs[i].Name}' ({OipDataType.ToName(inputs[i].ElementType)} {TensorShape.Format(inputs[i].Shape)}) but the request does not give it");
            }
        }

        var outputCount = request.Outputs is { Count: > 0 } requested ? requested.Count : model.Outputs.Count;
        var bound = BoundInputs.Rent(given.Count, outputCount, pool);
        try
        {
            indices.CopyTo(bound.InputIndices);
            SelectOutputs(model, request, bound.OutputIndices, bound.BinaryOutputs);
            for (var i = 0; i < given.Count; i++)
            {
                bound.Values[i] = CreateValue(given[i]);
                bound.Shapes[i] = given[i].Shape;
            }
        }
        catch
        {
            bound.Dispose();
            throw;
        }

        return bound;
    }

    /// <summary>The outputs to compute: those asked for, in order, or all of them when none are named (as Triton does).</summary>
    private static void SelectOutputs(OnnxModel model, InferRequest request, int[] indices, bool[] binary)
    {
        if (request.Outputs is not { Count: > 0 } requested)
        {
            for (var i = 0; i < indices.Length; i++)
            {
                indices[i] = i;
                binary[i] = request.BinaryDataOutput;
            }

            return;
        }

        for (var i = 0; i < requested.Count; i++)
        {
            var index = model.Session.GetOutputIndex(requested[i].Name);
            if (index < 0)
            {
                throw Invalid($"model '{model.Name}' has no output named '{requested[i].Name}' (its outputs: {string.Join(", ", model.Outputs.Select(m => m.Name))})");
            }

            if (Array.IndexOf(indices, index, 0, i) >= 0)
            {
                throw Invalid($"output '{requested[i].Name}' is requested more than once");
            }

            indices[i] = index;
            binary[i] = requested[i].Binary ?? request.BinaryDataOutput;
        }
    }

    private static void CheckMatches(OnnxModel model, TensorMetadata expected, InferInput input)
    {
        if (expected.ElementType != input.ElementType)
        {
            throw Invalid($"input '{input.Name}' has datatype {OipDataType.ToName(input.ElementType)} but model '{model.Name}' expects {OipDataType.ToName(expected.ElementType)}");
        }

        var shape = expected.Shape;
        var ok = shape.Count == input.Shape.Length;
        for (var d = 0; ok && d < shape.Count; d++)
        {
            ok = shape[d] < 0 || shape[d] == input.Shape[d];
        }

        if (!ok)
        {
            throw Invalid($"input '{input.Name}' has shape {TensorShape.Format(input.Shape)} but model '{model.Name}' expects {TensorShape.Format(shape)} (-1 is any size)");
        }
    }

    private static OrtValue CreateValue(InferInput input)
    {
        if (input.Strings is { } strings)
        {
            return OrtValue.CreateStringTensor(input.Shape, strings);
        }

        var data = input.Data!;
        var elementSize = input.ElementType.SizeInBytes();
        fixed (byte* start = data)
        {
            var pointer = start + input.DataOffset;
            if (((nint)pointer % elementSize) == 0 || input.DataLength == 0)
            {
                // The array is on the pinned heap, so the pointer stays valid after this block.
                return OrtValue.CreateTensor(input.ElementType, input.Shape, pointer, input.DataLength);
            }
        }

        // A binary input that follows one of odd length is misaligned for its element type: copy it once.
        var copy = new byte[input.DataLength];
        input.DataSpan.CopyTo(copy);
        return OrtValue.CreateTensor<byte>(input.ElementType, input.Shape, copy);
    }

    private static InferenceException Invalid(string message) => new(InferenceError.Invalid(message));
}
