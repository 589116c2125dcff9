using Google.Protobuf;
using Inference.Host.Protocol.Grpc;
using static Inference.Host.Protocol.Grpc.ModelInferRequest.Types;

namespace Inference.Host.Tests.Transport.Grpc;

/// <summary>Requests for the sample <c>simple</c> model (OUTPUT0 = INPUT0 + INPUT1, OUTPUT1 = INPUT0 - INPUT1).</summary>
public static class OipGrpcMessages
{
    public static readonly float[] Ramp = Enumerable.Range(0, 16).Select(i => (float)i).ToArray();
    public static readonly float[] Ones = Enumerable.Repeat(1f, 16).ToArray();

    public static ModelInferRequest SimpleTyped(float[]? a = null, float[]? b = null, string id = "", string model = "simple")
    {
        var request = new ModelInferRequest { ModelName = model, Id = id };
        request.Inputs.Add(Tensor("INPUT0", a ?? Ramp, typed: true));
        request.Inputs.Add(Tensor("INPUT1", b ?? Ones, typed: true));
        return request;
    }

    public static ModelInferRequest SimpleRaw(float[]? a = null, float[]? b = null, string id = "")
    {
        var request = new ModelInferRequest { ModelName = "simple", Id = id };
        request.Inputs.Add(Tensor("INPUT0", a ?? Ramp, typed: false));
        request.Inputs.Add(Tensor("INPUT1", b ?? Ones, typed: false));
        request.RawInputContents.Add(Raw(a ?? Ramp));
        request.RawInputContents.Add(Raw(b ?? Ones));
        return request;
    }

    public static InferInputTensor Tensor(string name, float[] values, bool typed)
    {
        var tensor = new InferInputTensor { Name = name, Datatype = "FP32", Shape = { 1, values.Length } };
        if (typed)
        {
            tensor.Contents = new InferTensorContents { Fp32Contents = { values } };
        }

        return tensor;
    }

    public static ByteString Raw(float[] values)
    {
        var bytes = new byte[values.Length * 4];
        Buffer.BlockCopy(values, 0, bytes, 0, bytes.Length);
        return ByteString.CopyFrom(bytes);
    }

    public static float[] Floats(ByteString raw)
    {
        var values = new float[raw.Length / 4];
        Buffer.BlockCopy(raw.ToByteArray(), 0, values, 0, raw.Length);
        return values;
    }

    public static InferParameter Int(long value) => new() { Int64Param = value };

    public static InferParameter Bool(bool value) => new() { BoolParam = value };
}
