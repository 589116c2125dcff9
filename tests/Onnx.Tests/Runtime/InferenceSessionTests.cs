using System.Collections.Concurrent;
using System.Numerics;
using System.Text;
using Inference.Onnx.Authoring;
using Inference.Onnx.Binding;
using Inference.Onnx.Runtime;
using Inference.Onnx.Tensors;

namespace Inference.Onnx.Tests.Runtime;

public sealed class InferenceSessionTests
{
    private static readonly TensorElementType[] FixedSizeTypes =
    [
        TensorElementType.Bool, TensorElementType.UInt8, TensorElementType.Int8, TensorElementType.UInt16,
        TensorElementType.Int16, TensorElementType.UInt32, TensorElementType.Int32, TensorElementType.UInt64,
        TensorElementType.Int64, TensorElementType.Float16, TensorElementType.BFloat16, TensorElementType.Float,
        TensorElementType.Double,
    ];

    // Shapes as text (xunit shows them in the test name): a matrix, a scalar, a zero-size tensor.
    private static readonly string[] Shapes = ["2,3", "", "0,3"];

    // Loads the library and creates the one environment before any test here touches ORT.
    public InferenceSessionTests() => _ = OrtFixture.Environment;

    public static TheoryData<TensorElementType, string> FixedSizeCases()
    {
        var data = new TheoryData<TensorElementType, string>();
        foreach (var type in FixedSizeTypes)
        {
            foreach (var shape in Shapes)
            {
                data.Add(type, shape);
            }
        }

        return data;
    }

    public static TheoryData<string> ShapeCases() => new(Shapes);

    // ---- 1. every element type through Identity ----

    [Theory]
    [MemberData(nameof(FixedSizeCases))]
    public void IdentityReturnsTypeShapeAndBytesOfEveryFixedSizeType(TensorElementType type, string shapeText)
    {
        var shape = TestModels.ParseShape(shapeText);
        var count = TestModels.ElementCount(shape);
        var bytes = RandomElementBytes(type, count, seed: (int)type * 31 + shape.Length);
        using var session = TestModels.Open(TestModels.Identity(type, shape.Select(d => (OnnxDimension)d).ToArray()));
        Assert.Equal(type, session.Inputs[0].ElementType);
        Assert.Equal(type, session.Outputs[0].ElementType);
        Assert.Equal(shape, session.Outputs[0].Shape);

        using var input = OrtValue.CreateTensor<byte>(type, shape, bytes);
        using var output = TestModels.RunSingle(session, ("x", input));

        Assert.Equal(type, output.ElementType);
        Assert.Equal(shape, output.Shape);
        Assert.Equal(count, output.ElementCount);
        Assert.Equal(count * type.SizeInBytes(), output.SizeInBytes);
        Assert.Equal(bytes, output.GetBytes().ToArray());
    }

    [Theory]
    [MemberData(nameof(ShapeCases))]
    public void IdentityReturnsStringTensorsOfEveryShape(string shapeText)
    {
        var shape = TestModels.ParseShape(shapeText);
        var elements = Enumerable.Range(0, (int)TestModels.ElementCount(shape))
            .Select(i => Encoding.UTF8.GetBytes(new string((char)('a' + i), i + 1)))
            .ToArray();
        using var session = TestModels.Open(TestModels.Identity(TensorElementType.String, shape.Select(d => (OnnxDimension)d).ToArray()));
        using var input = TestModels.Strings(shape, elements);
        using var output = TestModels.RunSingle(session, ("x", input));

        Assert.Equal(TensorElementType.String, output.ElementType);
        Assert.Equal(shape, output.Shape);
        Assert.Equal(elements, TestModels.ToArrays(output.GetStringContent()));
    }

    [Fact]
    public void IdentityKeepsHalfValuesBitForBit()
    {
        Half[] values = [(Half)1.5f, (Half)(-2.25f), Half.NegativeZero, Half.MaxValue, Half.Epsilon, Half.NaN, Half.NegativeInfinity];
        using var session = TestModels.Open(TestModels.Identity(TensorElementType.Float16, values.Length));
        using var input = OrtValue.CreateTensor<Half>(TensorElementType.Float16, [values.Length], values);
        using var output = TestModels.RunSingle(session, ("x", input));

        Assert.Equal(TensorElementType.Float16, output.ElementType);
        Assert.Equal(
            values.Select(BitConverter.HalfToUInt16Bits),
            output.GetData<Half>().ToArray().Select(BitConverter.HalfToUInt16Bits));
    }

    [Fact]
    public void IdentityKeepsBFloat16BitsAsRawUInt16()
    {
        // BFloat16 is the upper half of a float32; .NET has no type for it, so it travels as raw ushort bits.
        float[] floats = [1f, -2.5f, 0.15625f, float.PositiveInfinity, 3.0e38f];
        var bits = floats.Select(ToBFloat16Bits).ToArray();
        using var session = TestModels.Open(TestModels.Identity(TensorElementType.BFloat16, bits.Length));
        using var input = OrtValue.CreateTensor<ushort>(TensorElementType.BFloat16, [bits.Length], bits);
        using var output = TestModels.RunSingle(session, ("x", input));

        Assert.Equal(TensorElementType.BFloat16, output.ElementType);
        Assert.Equal(bits, output.GetData<ushort>().ToArray());
    }

    [Fact]
    public void CastToBFloat16ProducesTheUpperHalfOfFloat32()
    {
        // Values exactly representable in bfloat16, so truncation and rounding agree.
        float[] floats = [1f, -2.5f, 0.15625f, 1024f, -0f];
        using var session = TestModels.Open(CastModel(TensorElementType.Float, TensorElementType.BFloat16, floats.Length));
        using var input = OrtValue.CreateTensor<float>(TensorElementType.Float, [floats.Length], floats);
        using var output = TestModels.RunSingle(session, ("x", input));

        Assert.Equal(TensorElementType.BFloat16, output.ElementType);
        Assert.Equal(floats.Select(ToBFloat16Bits), output.GetData<ushort>().ToArray());
    }

    [Fact]
    public void CastToFloat16MatchesDotNetHalfConversion()
    {
        float[] floats = [1f, -2.5f, 0.1f, 65504f, 1e-7f, 70000f];
        using var session = TestModels.Open(CastModel(TensorElementType.Float, TensorElementType.Float16, floats.Length));
        using var input = OrtValue.CreateTensor<float>(TensorElementType.Float, [floats.Length], floats);
        using var output = TestModels.RunSingle(session, ("x", input));

        Assert.Equal(
            floats.Select(f => BitConverter.HalfToUInt16Bits((Half)f)),
            output.GetData<Half>().ToArray().Select(BitConverter.HalfToUInt16Bits));
    }

    [Fact]
    public void CastToBoolGivesOneByteZeroOrOne()
    {
        int[] ints = [0, 1, -7, 0, 255, int.MinValue];
        using var session = TestModels.Open(CastModel(TensorElementType.Int32, TensorElementType.Bool, ints.Length));
        using var input = OrtValue.CreateTensor<int>(TensorElementType.Int32, [ints.Length], ints);
        using var output = TestModels.RunSingle(session, ("x", input));

        Assert.Equal(TensorElementType.Bool, output.ElementType);
        Assert.Equal(ints.Select(i => (byte)(i != 0 ? 1 : 0)), output.GetBytes().ToArray());
        Assert.Equal(ints.Select(i => i != 0), output.GetData<bool>().ToArray());
    }

    // ---- 2. compute correctness with a dynamic batch ----

    [Theory]
    [InlineData("Add", TensorElementType.Float)]
    [InlineData("Mul", TensorElementType.Float)]
    [InlineData("Sub", TensorElementType.Float)]
    [InlineData("Add", TensorElementType.Double)]
    [InlineData("Mul", TensorElementType.Double)]
    [InlineData("Add", TensorElementType.Int32)]
    [InlineData("Mul", TensorElementType.Int32)]
    [InlineData("Sub", TensorElementType.Int32)]
    [InlineData("Add", TensorElementType.Int64)]
    [InlineData("Mul", TensorElementType.Int64)]
    public void BinaryOpMatchesElementWiseMathForEveryBatchSize(string op, TensorElementType type)
    {
        var random = new Random(op.Length * 100 + (int)type);
        switch (type)
        {
            case TensorElementType.Float:
                CheckBinary(op, type, () => (float)Math.Round(random.NextDouble() * 200 - 100, 3));
                break;
            case TensorElementType.Double:
                CheckBinary(op, type, () => random.NextDouble() * 2e6 - 1e6);
                break;
            case TensorElementType.Int32:
                CheckBinary(op, type, () => random.Next(-30_000, 30_000));
                break;
            case TensorElementType.Int64:
                CheckBinary(op, type, () => random.NextInt64(-3_000_000_000L, 3_000_000_000L));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(type), type, "no generator");
        }
    }

    [Fact]
    public void DynamicBatchIsReportedAsMinusOneWithItsSymbol()
    {
        using var session = TestModels.Open(TestModels.Binary("Add", TensorElementType.Float));

        Assert.Equal(["a", "b"], session.Inputs.Select(i => i.Name));
        Assert.Equal("c", Assert.Single(session.Outputs).Name);
        foreach (var tensor in session.Inputs.Concat(session.Outputs))
        {
            Assert.Equal(OnnxValueType.Tensor, tensor.ValueType);
            Assert.Equal(TensorElementType.Float, tensor.ElementType);
            Assert.Equal([-1L, 3L], tensor.Shape);
            Assert.Equal(["batch", ""], tensor.SymbolicDimensions);
        }
    }

    [Fact]
    public void AddBroadcastsARowOverTheBatch()
    {
        var model = new OnnxGraphBuilder("broadcast")
            .Input("a", TensorElementType.Float, "batch", 3)
            .Input("b", TensorElementType.Float, 3)
            .Output("c", TensorElementType.Float, "batch", 3)
            .Node("Add", ["a", "b"], ["c"])
            .Build();
        float[] a = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
        float[] b = [0.5f, -1, 100];
        using var session = TestModels.Open(model);
        using var av = OrtValue.CreateTensor<float>(TensorElementType.Float, [4, 3], a);
        using var bv = OrtValue.CreateTensor<float>(TensorElementType.Float, [3], b);
        using var c = TestModels.RunSingle(session, ("a", av), ("b", bv));

        Assert.Equal([4L, 3L], c.Shape);
        Assert.Equal(a.Select((x, i) => x + b[i % 3]), c.GetData<float>().ToArray());
    }

    [Fact]
    public void MatMulWithInitializerMatchesReferenceProduct()
    {
        const int Rows = 5, Inner = 7, Cols = 4;
        var random = new Random(7);
        var w = Enumerable.Range(0, Inner * Cols).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        var x = Enumerable.Range(0, Rows * Inner).Select(_ => (float)(random.NextDouble() * 4 - 2)).ToArray();
        var model = new OnnxGraphBuilder("matmul")
            .Input("x", TensorElementType.Float, "batch", Inner)
            .Initializer("w", TensorElementType.Float, [Inner, Cols], w)
            .Output("y", TensorElementType.Float, "batch", Cols)
            .Node("MatMul", ["x", "w"], ["y"])
            .Build();
        using var session = TestModels.Open(model);
        using var xv = OrtValue.CreateTensor<float>(TensorElementType.Float, [Rows, Inner], x);
        using var y = TestModels.RunSingle(session, ("x", xv));

        Assert.Equal([(long)Rows, Cols], y.Shape);
        var actual = y.GetData<float>().ToArray();
        for (var r = 0; r < Rows; r++)
        {
            for (var c = 0; c < Cols; c++)
            {
                var expected = 0.0;
                for (var k = 0; k < Inner; k++)
                {
                    expected += (double)x[r * Inner + k] * w[k * Cols + c];
                }

                Assert.Equal(expected, actual[r * Cols + c], 1e-5);
            }
        }
    }

    [Fact]
    public void RunReturnsOnlyTheRequestedOutputsInTheRequestedOrder()
    {
        var model = new OnnxGraphBuilder("two-outputs")
            .Input("a", TensorElementType.Int32, 3)
            .Input("b", TensorElementType.Int32, 3)
            .Output("sum", TensorElementType.Int32, 3)
            .Output("product", TensorElementType.Int32, 3)
            .Node("Add", ["a", "b"], ["sum"])
            .Node("Mul", ["a", "b"], ["product"])
            .Build();
        int[] a = [2, -3, 4];
        int[] b = [5, 6, -7];
        using var session = TestModels.Open(model);
        using var av = OrtValue.CreateTensor<int>(TensorElementType.Int32, [3], a);
        using var bv = OrtValue.CreateTensor<int>(TensorElementType.Int32, [3], b);
        var inputs = new Dictionary<string, OrtValue> { ["a"] = av, ["b"] = bv };

        var onlyProduct = session.Run(inputs, ["product"]);
        using (onlyProduct[0])
        {
            Assert.Single(onlyProduct);
            Assert.Equal(a.Zip(b, (x, y) => x * y), onlyProduct[0].GetData<int>().ToArray());
        }

        var reversed = session.Run(inputs, ["product", "sum"]);
        using (reversed[0])
        using (reversed[1])
        {
            Assert.Equal(a.Zip(b, (x, y) => x * y), reversed[0].GetData<int>().ToArray());
            Assert.Equal(a.Zip(b, (x, y) => x + y), reversed[1].GetData<int>().ToArray());
        }

        Assert.Equal(1, session.GetOutputIndex("product"));
        Assert.Equal(-1, session.GetOutputIndex("nope"));
        Assert.Equal(1, session.GetInputIndex("b"));
        Assert.Equal(-1, session.GetInputIndex("B"));
    }

    // ---- 4. pre-allocated outputs (zero copy on the way out) ----

    [Fact]
    public void PreallocatedOutputIsFilledInPlace()
    {
        float[] a = [1, 2, 3, 4, 5, 6];
        float[] b = [0.5f, 0.25f, -1, 10, -10, 2];
        var result = GC.AllocateArray<float>(6, pinned: true);
        Array.Fill(result, float.NaN);
        using var session = TestModels.Open(TestModels.Binary("Mul", TensorElementType.Float));
        using var av = OrtValue.CreateTensor<float>(TensorElementType.Float, [2, 3], a);
        using var bv = OrtValue.CreateTensor<float>(TensorElementType.Float, [2, 3], b);
        using var preallocated = OrtValue.CreateTensor<float>(TensorElementType.Float, [2, 3], result);
        var outputs = new OrtValue?[] { preallocated };

        session.Run([0, 1], [av, bv], [0], outputs);

        Assert.Same(preallocated, outputs[0]);
        Assert.Equal(a.Zip(b, (x, y) => x * y), result);

        // A second run with other inputs writes into the same caller array.
        a.AsSpan().Reverse();
        session.Run([0, 1], [av, bv], [0], outputs);
        Assert.Equal(a.Zip(b, (x, y) => x * y), result);
    }

    [Fact]
    public void NullOutputSlotIsFilledWithAValueOrtAllocates()
    {
        int[] a = [1, 2, 3];
        using var session = TestModels.Open(TestModels.Binary("Add", TensorElementType.Int32));
        using var av = OrtValue.CreateTensor<int>(TensorElementType.Int32, [1, 3], a);
        var outputs = new OrtValue?[1];

        session.Run([0, 1], [av, av], [0], outputs);

        using var output = Assert.IsType<OrtValue>(outputs[0]);
        Assert.Equal(a.Select(x => x + x), output.GetData<int>().ToArray());
    }

    // ---- 6. errors ----

    [Fact]
    public void WrongInputElementTypeFailsWithInvalidArgumentAndSessionKeepsWorking()
    {
        using var session = TestModels.Open(TestModels.Binary("Add", TensorElementType.Float));
        using var wrong = OrtValue.CreateTensor<int>(TensorElementType.Int32, [2, 3], new int[6]);
        using var right = OrtValue.CreateTensor<float>(TensorElementType.Float, [2, 3], new float[6]);

        var e = Assert.Throws<OrtException>(() => session.Run(new Dictionary<string, OrtValue> { ["a"] = wrong, ["b"] = right }));

        Assert.Equal(OrtErrorCode.InvalidArgument, e.Code);
        Assert.Contains("tensor(int32)", e.Message, StringComparison.Ordinal);
        AssertAddStillWorks(session);
    }

    [Fact]
    public void WrongRankFailsWithInvalidArgumentAndSessionKeepsWorking()
    {
        using var session = TestModels.Open(TestModels.Binary("Add", TensorElementType.Float));
        using var rank1 = OrtValue.CreateTensor<float>(TensorElementType.Float, [6], new float[6]);
        using var right = OrtValue.CreateTensor<float>(TensorElementType.Float, [2, 3], new float[6]);

        var e = Assert.Throws<OrtException>(() => session.Run(new Dictionary<string, OrtValue> { ["a"] = rank1, ["b"] = right }));

        Assert.Equal(OrtErrorCode.InvalidArgument, e.Code);
        Assert.Contains("rank", e.Message, StringComparison.OrdinalIgnoreCase);
        AssertAddStillWorks(session);
    }

    [Fact]
    public void WrongFixedDimensionFailsWithInvalidArgument()
    {
        using var session = TestModels.Open(TestModels.Binary("Add", TensorElementType.Float));
        using var transposed = OrtValue.CreateTensor<float>(TensorElementType.Float, [3, 2], new float[6]);

        var e = Assert.Throws<OrtException>(() => session.Run(new Dictionary<string, OrtValue> { ["a"] = transposed, ["b"] = transposed }));

        Assert.Equal(OrtErrorCode.InvalidArgument, e.Code);
        Assert.False(string.IsNullOrWhiteSpace(e.Message));
        AssertAddStillWorks(session);
    }

    [Fact]
    public void UnknownInputNameIsAnArgumentExceptionAndSessionKeepsWorking()
    {
        using var session = TestModels.Open(TestModels.Binary("Add", TensorElementType.Float));
        using var value = OrtValue.CreateTensor<float>(TensorElementType.Float, [2, 3], new float[6]);

        var e = Assert.Throws<ArgumentException>(() => session.Run(new Dictionary<string, OrtValue> { ["a"] = value, ["nope"] = value }));

        Assert.Equal("inputs", e.ParamName);
        Assert.Contains("nope", e.Message, StringComparison.Ordinal);
        AssertAddStillWorks(session);
    }

    [Fact]
    public void UnknownOutputNameIsAnArgumentException()
    {
        using var session = TestModels.Open(TestModels.Binary("Add", TensorElementType.Float));
        using var value = OrtValue.CreateTensor<float>(TensorElementType.Float, [2, 3], new float[6]);

        var e = Assert.Throws<ArgumentException>(() => session.Run(new Dictionary<string, OrtValue> { ["a"] = value, ["b"] = value }, ["missing"]));

        Assert.Contains("missing", e.Message, StringComparison.Ordinal);
        AssertAddStillWorks(session);
    }

    [Fact]
    public void InputNotFedFailsInsideTheKernelAndSessionKeepsWorking()
    {
        // ORT 1.23 does not check up front that every graph input is fed: the Add kernel finds it missing.
        using var session = TestModels.Open(TestModels.Binary("Add", TensorElementType.Float));
        using var value = OrtValue.CreateTensor<float>(TensorElementType.Float, [2, 3], new float[6]);

        var e = Assert.Throws<OrtException>(() => session.Run(new Dictionary<string, OrtValue> { ["a"] = value }));

        Assert.Equal(OrtErrorCode.RuntimeException, e.Code);
        Assert.Contains("Missing Input: b", e.Message, StringComparison.Ordinal);
        AssertAddStillWorks(session);
    }

    [Fact]
    public void PreallocatedOutputOfWrongShapeOrTypeIsRejected()
    {
        using var session = TestModels.Open(TestModels.Binary("Add", TensorElementType.Float));
        using var input = OrtValue.CreateTensor<float>(TensorElementType.Float, [2, 3], new float[6]);
        using var wrongShape = OrtValue.CreateTensor<float>(TensorElementType.Float, [3, 2], new float[6]);
        using var wrongType = OrtValue.CreateTensor<int>(TensorElementType.Int32, [2, 3], new int[6]);

        var shapeError = Assert.Throws<OrtException>(() => session.Run([0, 1], [input, input], [0], new OrtValue?[] { wrongShape }));
        var typeError = Assert.Throws<OrtException>(() => session.Run([0, 1], [input, input], [0], new OrtValue?[] { wrongType }));

        Assert.Equal(OrtErrorCode.InvalidArgument, shapeError.Code);
        Assert.Equal(OrtErrorCode.InvalidArgument, typeError.Code);
        AssertAddStillWorks(session);
    }

    [Fact]
    public void MismatchedIndexAndValueCountsAreArgumentExceptions()
    {
        using var session = TestModels.Open(TestModels.Binary("Add", TensorElementType.Float));
        using var input = OrtValue.CreateTensor<float>(TensorElementType.Float, [2, 3], new float[6]);

        Assert.Throws<ArgumentException>(() => session.Run([0, 1], [input], [0], new OrtValue?[1]));
        Assert.Throws<ArgumentException>(() => session.Run([0, 1], [input, input], [0], new OrtValue?[2]));
    }

    [Fact]
    public void InvalidModelBytesFailWithInvalidProtobuf()
    {
        var e = Assert.Throws<OrtException>(() => TestModels.Open(Encoding.ASCII.GetBytes("this is not an ONNX model")));

        Assert.Equal(OrtErrorCode.InvalidProtobuf, e.Code);
        Assert.False(string.IsNullOrWhiteSpace(e.Message));
    }

    [Fact]
    public void EmptyModelBytesFailWithAnOrtException()
    {
        var e = Assert.Throws<OrtException>(() => TestModels.Open([]));

        Assert.NotEqual(OrtErrorCode.Ok, e.Code);
        Assert.Contains("graph", e.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void UnknownOperatorFailsWithInvalidGraph()
    {
        var model = new OnnxGraphBuilder("bad")
            .Input("x", TensorElementType.Float, 2)
            .Output("y", TensorElementType.Float, 2)
            .Node("NoSuchOperator", ["x"], ["y"])
            .Build();

        var e = Assert.Throws<OrtException>(() => TestModels.Open(model));

        Assert.Equal(OrtErrorCode.InvalidGraph, e.Code);
        Assert.Contains("NoSuchOperator", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingModelFileIsFileNotFoundNamingThePath()
    {
        var path = Path.Combine(Path.GetTempPath(), $"no-such-model-{Guid.NewGuid():N}.onnx");

        var e = Assert.Throws<FileNotFoundException>(() => InferenceSession.Create(OrtFixture.Environment, path, TestModels.SingleThreaded));

        Assert.Equal(path, e.FileName);
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ModelLoadsFromAFileWhosePathIsNotAscii()
    {
        var directory = Directory.CreateTempSubdirectory("onnx-tests-");
        try
        {
            var path = Path.Combine(directory.FullName, "modèle ü 模型.onnx");
            File.WriteAllBytes(path, TestModels.Binary("Add", TensorElementType.Float));
            using var session = InferenceSession.Create(OrtFixture.Environment, path, TestModels.SingleThreaded);
            AssertAddStillWorks(session);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void RunAfterDisposeIsObjectDisposed()
    {
        var session = TestModels.Open(TestModels.Binary("Add", TensorElementType.Float));
        using var value = OrtValue.CreateTensor<float>(TensorElementType.Float, [1, 3], new float[3]);
        session.Dispose();

        Assert.Throws<ObjectDisposedException>(() => session.Run(new Dictionary<string, OrtValue> { ["a"] = value, ["b"] = value }));
    }

    [Fact]
    public void DisposeTwiceIsHarmless()
    {
        var session = TestModels.Open(TestModels.Binary("Add", TensorElementType.Float));
        session.Dispose();
        session.Dispose();
        using var value = OrtValue.CreateTensor<float>(TensorElementType.Float, [1, 3], new float[3]);
        Assert.Throws<ObjectDisposedException>(() => session.Run(new Dictionary<string, OrtValue> { ["a"] = value, ["b"] = value }));
    }

    // ---- 7. model metadata ----

    [Fact]
    public void MetadataIsReadBackFromTheModel()
    {
        var builder = new OnnxGraphBuilder("metadata-graph") { DocString = "adds two tensors — ünïcode" }
            .Input("a", TensorElementType.Float, "batch", 3)
            .Input("b", TensorElementType.Float, "batch", 3)
            .Output("c", TensorElementType.Float, "batch", 3)
            .Node("Add", ["a", "b"], ["c"])
            .Metadata("author", "tests")
            .Metadata("labels", "cat,dog")
            .Metadata("empty", "")
            .Metadata("ключ", "значение");
        using var session = TestModels.Open(builder.Build(opset: 17, producer: "metadata-producer", modelVersion: 42));
        var metadata = session.Metadata;

        Assert.Equal("metadata-producer", metadata.ProducerName);
        Assert.Equal("metadata-graph", metadata.GraphName);
        Assert.Equal("adds two tensors — ünïcode", metadata.Description);
        Assert.Equal("", metadata.Domain);
        Assert.Equal(42, metadata.Version);
        Assert.Equal(
            new Dictionary<string, string> { ["author"] = "tests", ["labels"] = "cat,dog", ["empty"] = "", ["ключ"] = "значение" },
            metadata.Custom);
    }

    [Fact]
    public void ModelWithoutCustomMetadataHasAnEmptyMap()
    {
        using var session = TestModels.Open(TestModels.Binary("Add", TensorElementType.Float));

        Assert.Empty(session.Metadata.Custom);
        Assert.Equal("", session.Metadata.Description);
    }

    [Fact]
    public void InputAndOutputMetadataDescribeFixedAndSymbolicDimensions()
    {
        var model = new OnnxGraphBuilder("shapes")
            .Input("image", TensorElementType.UInt8, "n", 224, 224, 3)
            .Input("scale", TensorElementType.Double)
            .Output("out", TensorElementType.UInt8, "n", 224, 224, 3)
            .Output("scale_out", TensorElementType.Double)
            .Node("Identity", ["image"], ["out"])
            .Node("Identity", ["scale"], ["scale_out"])
            .Build();
        using var session = TestModels.Open(model);

        Assert.Equal(2, session.Inputs.Count);
        var image = session.Inputs[0];
        Assert.Equal("image", image.Name);
        Assert.Equal(TensorElementType.UInt8, image.ElementType);
        Assert.Equal([-1L, 224, 224, 3], image.Shape);
        Assert.Equal(["n", "", "", ""], image.SymbolicDimensions);
        var scale = session.Inputs[1];
        Assert.Equal(TensorElementType.Double, scale.ElementType);
        Assert.Empty(scale.Shape);
        Assert.Empty(scale.SymbolicDimensions);
        Assert.Equal(["out", "scale_out"], session.Outputs.Select(o => o.Name));
        Assert.Equal([-1L, 224, 224, 3], session.Outputs[0].Shape);
    }

    // ---- 9. execution provider of a plain CPU session ----

    [Fact]
    public void DefaultSessionRunsOnCpuWithoutWarning()
    {
        using var session = TestModels.Open(TestModels.Binary("Add", TensorElementType.Float));

        Assert.Equal(new ExecutionProviderSelection(ExecutionProviderKind.Cpu, ExecutionProviderKind.Cpu, null), session.Provider);
    }

    // ---- 11. concurrency ----

    [Fact]
    public void OneSessionServesEightThreadsWithTheirOwnValues()
    {
        const int Threads = 8, RunsPerThread = 500;
        using var session = TestModels.Open(TestModels.Binary("Mul", TensorElementType.Int64));
        var failures = new ConcurrentQueue<string>();
        var completed = 0;
        using var start = new Barrier(Threads);

        var threads = Enumerable.Range(0, Threads).Select(t => new Thread(() =>
        {
            try
            {
                start.SignalAndWait();
                for (var run = 0; run < RunsPerThread; run++)
                {
                    var batch = 1 + (run + t) % 4;
                    var a = new long[batch * 3];
                    var b = new long[batch * 3];
                    for (var i = 0; i < a.Length; i++)
                    {
                        a[i] = t * 1_000_000L + run * 10L + i;
                        b[i] = t - run - i;
                    }

                    using var av = OrtValue.CreateTensor<long>(TensorElementType.Int64, [batch, 3], a);
                    using var bv = OrtValue.CreateTensor<long>(TensorElementType.Int64, [batch, 3], b);
                    using var c = TestModels.RunSingle(session, ("a", av), ("b", bv));
                    var actual = c.GetData<long>();
                    for (var i = 0; i < a.Length; i++)
                    {
                        if (actual[i] != a[i] * b[i])
                        {
                            failures.Enqueue($"thread {t} run {run} element {i}: {actual[i]} != {a[i] * b[i]}");
                        }
                    }

                    Interlocked.Increment(ref completed);
                }
            }
            catch (Exception e)
            {
                failures.Enqueue($"thread {t}: {e}");
            }
        })).ToArray();
        foreach (var thread in threads)
        {
            thread.Start();
        }

        foreach (var thread in threads)
        {
            thread.Join();
        }

        Assert.Empty(failures);
        Assert.Equal(Threads * RunsPerThread, completed);
    }

    // ---- helpers ----

    private static void CheckBinary<T>(string op, TensorElementType type, Func<T> next)
        where T : unmanaged, INumber<T>
    {
        Func<T, T, T> apply = op switch
        {
            "Add" => (x, y) => x + y,
            "Mul" => (x, y) => x * y,
            "Sub" => (x, y) => x - y,
            _ => throw new ArgumentOutOfRangeException(nameof(op), op, "unknown op"),
        };
        using var session = TestModels.Open(TestModels.Binary(op, type));
        Assert.Equal([-1L, 3L], session.Outputs[0].Shape);
        Assert.Equal("batch", session.Outputs[0].SymbolicDimensions[0]);

        foreach (var batch in new[] { 1, 4, 17 })
        {
            var a = Enumerable.Range(0, batch * 3).Select(_ => next()).ToArray();
            var b = Enumerable.Range(0, batch * 3).Select(_ => next()).ToArray();
            using var av = OrtValue.CreateTensor<T>(type, [batch, 3], a);
            using var bv = OrtValue.CreateTensor<T>(type, [batch, 3], b);
            using var c = TestModels.RunSingle(session, ("a", av), ("b", bv));

            Assert.Equal(type, c.ElementType);
            Assert.Equal([batch, 3L], c.Shape);
            Assert.Equal(a.Zip(b, apply), c.GetData<T>().ToArray());
        }
    }

    private static void AssertAddStillWorks(InferenceSession session)
    {
        float[] a = [1, 2, 3];
        float[] b = [0.5f, -2, 40];
        using var av = OrtValue.CreateTensor<float>(TensorElementType.Float, [1, 3], a);
        using var bv = OrtValue.CreateTensor<float>(TensorElementType.Float, [1, 3], b);
        using var c = TestModels.RunSingle(session, ("a", av), ("b", bv));
        Assert.Equal(a.Zip(b, (x, y) => x + y), c.GetData<float>().ToArray());
    }

    private static byte[] CastModel(TensorElementType from, TensorElementType to, long length) =>
        new OnnxGraphBuilder("cast")
            .Input("x", from, length)
            .Output("y", to, length)
            .Node("Cast", ["x"], ["y"], OnnxAttribute.Of("to", (long)to))
            .Build();

    private static ushort ToBFloat16Bits(float value) => (ushort)(BitConverter.SingleToUInt32Bits(value) >> 16);

    private static byte[] RandomElementBytes(TensorElementType type, long count, int seed)
    {
        var random = new Random(seed);
        var bytes = new byte[count * type.SizeInBytes()];
        if (type == TensorElementType.Bool)
        {
            for (var i = 0; i < bytes.Length; i++)
            {
                bytes[i] = (byte)random.Next(2);
            }
        }
        else
        {
            random.NextBytes(bytes);
        }

        return bytes;
    }
}
