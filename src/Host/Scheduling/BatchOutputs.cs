using Inference.Onnx.Runtime;
using Inference.Onnx.Tensors;

namespace Inference.Host.Scheduling;

/// <summary>
/// Splits a batch's outputs back into the members' rows, in member order. A fixed-size output is
/// shared: each member gets a view into ORT's memory that holds a lease on it (no copy). A BYTES
/// output is copied into one string tensor per member.
/// </summary>
internal static unsafe class BatchOutputs
{
    /// <summary>
    /// Per member, its outputs; null when an output's first dimension is not the batch's rows
    /// (<paramref name="mismatch"/> says which). Takes ownership of <paramref name="outputs"/> either way.
    /// </summary>
    public static OrtValue?[][]? Split(OrtValue?[] outputs, IReadOnlyList<PendingRequest> members, long rows, out (int Output, long[] Shape) mismatch)
    {
        mismatch = default;
        var types = new TensorElementType[outputs.Length];
        var shapes = new long[outputs.Length][];
        for (var o = 0; o < outputs.Length; o++)
        {
            types[o] = outputs[o]!.GetTypeAndShape(out shapes[o]);
            if (shapes[o].Length == 0 || shapes[o][0] != rows)
            {
                mismatch = (o, shapes[o]);
                DisposeAll(outputs, 0);
                return null;
            }
        }

        var split = new OrtValue?[members.Count][];
        for (var m = 0; m < split.Length; m++)
        {
            split[m] = new OrtValue?[outputs.Length];
        }

        var output = 0;
        try
        {
            for (; output < outputs.Length; output++)
            {
                if (types[output] == TensorElementType.String)
                {
                    using var value = outputs[output]!;
                    SplitStrings(value, shapes[output], members, split, output);
                }
                else
                {
                    SplitFixed(outputs[output]!, types[output], shapes[output], members, split, output);
                }
            }

            return split;
        }
        catch
        {
            DisposeAll(outputs, output + 1);
            foreach (var values in split)
            {
                DisposeAll(values, 0);
            }

            throw;
        }
    }

    private static void SplitFixed(OrtValue value, TensorElementType type, long[] shape, IReadOnlyList<PendingRequest> members, OrtValue?[][] split, int output)
    {
        var rowBytes = type.SizeInBytes() * TensorShape.ElementCount(shape.AsSpan(1));
        if (rowBytes == 0)
        {
            // Nothing to share (ORT may give an empty tensor no data pointer to view into).
            using (value)
            {
                for (var m = 0; m < members.Count; m++)
                {
                    split[m][output] = OrtValue.AllocateTensor(type, MemberShape(shape, members[m].Rows));
                }
            }

            return;
        }

        var shared = new SharedValue(value);
        try
        {
            var data = (byte*)value.DataPointer;
            long offset = 0;
            for (var m = 0; m < members.Count; m++)
            {
                var rows = members[m].Rows;
                var lease = shared.Lease();
                try
                {
                    split[m][output] = OrtValue.CreateTensor(type, MemberShape(shape, rows), data + offset, rowBytes * rows, lease);
                }
                catch
                {
                    lease.Dispose();
                    throw;
                }

                offset += rowBytes * rows;
            }
        }
        finally
        {
            shared.Release();
        }
    }

    private static void SplitStrings(OrtValue value, long[] shape, IReadOnlyList<PendingRequest> members, OrtValue?[][] split, int output)
    {
        var content = value.GetStringContent();
        var perRow = (int)TensorShape.ElementCount(shape.AsSpan(1));
        var element = 0;
        var start = 0;
        for (var m = 0; m < members.Count; m++)
        {
            var count = checked((int)members[m].Rows * perRow);
            var elements = new ReadOnlyMemory<byte>[count];
            for (var i = 0; i < count; i++, element++)
            {
                var length = content[element].Length;
                elements[i] = content.Data.Slice(start, length);
                start += length;
            }

            split[m][output] = OrtValue.CreateStringTensor(MemberShape(shape, members[m].Rows), elements);
        }
    }

    private static long[] MemberShape(long[] batchShape, long rows)
    {
        var shape = (long[])batchShape.Clone();
        shape[0] = rows;
        return shape;
    }

    private static void DisposeAll(OrtValue?[] values, int from)
    {
        for (var i = from; i < values.Length; i++)
        {
            values[i]?.Dispose();
        }
    }
}
