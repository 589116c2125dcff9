using Inference.Host.Buffers;
using Inference.Onnx.Runtime;
using Inference.Onnx.Tensors;

namespace Inference.Host.Scheduling;

/// <summary>
/// Concatenates the members' inputs along dimension 0, in member order: fixed-size tensors into one
/// pooled pinned buffer each (which the value owns), BYTES tensors into a new string tensor.
/// </summary>
internal static unsafe class BatchInputs
{
    /// <summary>One value per session input, in session order; the caller disposes them.</summary>
    public static OrtValue[] Concatenate(IReadOnlyList<PendingRequest> members, IReadOnlyList<TensorMetadata> inputs, long rows, PinnedBufferPool buffers)
    {
        var values = new OrtValue[inputs.Count];
        try
        {
            for (var j = 0; j < values.Length; j++)
            {
                var shape = (long[])members[0].Shapes[j].Clone();
                shape[0] = rows;
                var type = inputs[j].ElementType;
                values[j] = type == TensorElementType.String ? Strings(members, j, shape) : Fixed(members, j, type, shape, buffers);
            }

            return values;
        }
        catch
        {
            foreach (var value in values)
            {
                value?.Dispose();
            }

            throw;
        }
    }

    private static OrtValue Fixed(IReadOnlyList<PendingRequest> members, int input, TensorElementType type, long[] shape, PinnedBufferPool buffers)
    {
        var length = checked((int)(TensorShape.ElementCount(shape) * type.SizeInBytes()));
        var buffer = new PooledBuffer(buffers, buffers.Rent(length));
        try
        {
            var destination = buffer.Array.AsSpan(0, length);
            foreach (var member in members)
            {
                var source = member.Input(input).GetBytes();
                source.CopyTo(destination);
                destination = destination[source.Length..];
            }

            // The array is on the pinned heap: the pointer stays valid for the value's life, which owns the buffer.
            fixed (byte* data = buffer.Array)
            {
                return OrtValue.CreateTensor(type, shape, data, length, buffer);
            }
        }
        catch
        {
            buffer.Dispose();
            throw;
        }
    }

    private static OrtValue Strings(IReadOnlyList<PendingRequest> members, int input, long[] shape)
    {
        var elements = new List<ReadOnlyMemory<byte>>(checked((int)TensorShape.ElementCount(shape)));
        foreach (var member in members)
        {
            var content = member.Input(input).GetStringContent();
            var start = 0;
            for (var i = 0; i < content.Count; i++)
            {
                // Elements lie back to back in content.Data, in order.
                var length = content[i].Length;
                elements.Add(content.Data.Slice(start, length));
                start += length;
            }
        }

        return OrtValue.CreateStringTensor(shape, elements);
    }
}
