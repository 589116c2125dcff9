using System.Buffers.Binary;
using Google.Protobuf;
using Inference.Host.Execution;
using Inference.Host.Protocol.Grpc;
using Inference.Host.Protocol.Oip;
using Inference.Onnx.Runtime;
using static Inference.Host.Protocol.Grpc.ModelInferResponse.Types;

namespace Inference.Host.Transport.Grpc;

/// <summary>
/// A run's outputs as a <c>ModelInferResponse</c>. The spec allows raw or typed contents but not both
/// in one response, so the response is all raw when any output was asked raw (or is FP16/BF16, which
/// has no typed field), else all typed. Raw fixed-size outputs wrap ORT's memory (no copy): write the
/// response before disposing the outputs.
/// </summary>
internal static unsafe class GrpcResponseEncoder
{
    public static ModelInferResponse Encode(OnnxModel model, InferRequest request, BoundInputs bound, OrtValue?[] results)
    {
        var outputs = new OutputTensor[results.Length];
        var raw = false;
        for (var i = 0; i < results.Length; i++)
        {
            var output = new OutputTensor(model.Outputs[bound.OutputIndices[i]].Name, results[i]!, bound.BinaryOutputs[i]);
            outputs[i] = output;
            raw |= output.Binary || !TypedContentsEncoder.HasTypedField(output.ElementType);
        }

        var response = new ModelInferResponse { ModelName = model.Name, ModelVersion = model.VersionText, Id = request.Id ?? "" };
        foreach (var output in outputs)
        {
            var tensor = new InferOutputTensor { Name = output.Name, Datatype = OipDataType.ToName(output.ElementType), Shape = { output.Shape } };
            if (raw)
            {
                response.RawOutputContents.Add(RawBytes(output));
            }
            else
            {
                tensor.Contents = TypedContentsEncoder.Encode(output);
            }

            response.Outputs.Add(tensor);
        }

        return response;
    }

    private static ByteString RawBytes(OutputTensor output)
    {
        if (output.Strings is { } strings)
        {
            // BYTES: a 4-byte little-endian length before each element, as on the HTTP binary path.
            var bytes = new byte[output.BinarySize];
            var position = 0;
            for (var i = 0; i < strings.Count; i++)
            {
                var element = strings[i];
                BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(position), (uint)element.Length);
                element.CopyTo(bytes.AsSpan(position + 4));
                position += 4 + element.Length;
            }

            return UnsafeByteOperations.UnsafeWrap(bytes);
        }

        var size = checked((int)output.Value.SizeInBytes);
        return size == 0 ? ByteString.Empty : UnsafeByteOperations.UnsafeWrap(new UnmanagedMemory(output.Value.DataPointer, size).Memory);
    }
}
