using System.Text;
using Inference.Onnx.Authoring;
using Inference.Onnx.Runtime;
using Inference.Onnx.Tensors;

namespace Inference.Onnx.Tests.Authoring;

public sealed class SampleModelsTests
{
    // Loads the library and creates the one environment before any test here touches ORT.
    public SampleModelsTests() => _ = OrtFixture.Environment;

    [Fact]
    public void SimpleAddsAndSubtracts()
    {
        const int Batch = 3;
        var random = new Random(5);
        var a = Enumerable.Range(0, Batch * 16).Select(_ => (float)random.Next(-1000, 1000) / 8).ToArray();
        var b = Enumerable.Range(0, Batch * 16).Select(_ => (float)random.Next(-1000, 1000) / 8).ToArray();
        using var session = TestModels.Open(SampleModels.Simple());
        using var av = OrtValue.CreateTensor<float>(TensorElementType.Float, [Batch, 16], a);
        using var bv = OrtValue.CreateTensor<float>(TensorElementType.Float, [Batch, 16], b);

        var outputs = session.Run(new Dictionary<string, OrtValue> { ["INPUT0"] = av, ["INPUT1"] = bv }, ["OUTPUT0", "OUTPUT1"]);
        using var sum = outputs[0];
        using var difference = outputs[1];

        Assert.Equal(a.Zip(b, (x, y) => x + y), sum.GetData<float>().ToArray());
        Assert.Equal(a.Zip(b, (x, y) => x - y), difference.GetData<float>().ToArray());
        Assert.Equal([-1L, 16L], session.Inputs[0].Shape);
        Assert.Equal("simple", session.Metadata.Custom["sample"]);
    }

    [Fact]
    public void MlpClassifierGivesProbabilitiesAndTheirArgMax()
    {
        const int Batch = 4;
        var random = new Random(9);
        var features = Enumerable.Range(0, Batch * 256).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        using var session = TestModels.Open(SampleModels.MlpClassifier());
        using var x = OrtValue.CreateTensor<float>(TensorElementType.Float, [Batch, 256], features);

        var outputs = session.Run(new Dictionary<string, OrtValue> { ["features"] = x });
        using var probabilities = outputs[session.GetOutputIndex("probabilities")];
        using var label = outputs[session.GetOutputIndex("label")];

        Assert.Equal([(long)Batch, 10], probabilities.Shape);
        Assert.Equal([(long)Batch], label.Shape);
        Assert.Equal(TensorElementType.Int64, label.ElementType);
        var p = probabilities.GetData<float>().ToArray();
        var labels = label.GetData<long>().ToArray();
        for (var row = 0; row < Batch; row++)
        {
            var rowValues = p.AsSpan(row * 10, 10).ToArray();
            Assert.All(rowValues, v => Assert.InRange(v, 0f, 1f));
            Assert.Equal(1.0, rowValues.Sum(v => (double)v), 1e-5);
            Assert.Equal(Array.IndexOf(rowValues, rowValues.Max()), labels[row]);
        }

        // Distinct inputs should not all land on one class with the same probabilities.
        Assert.NotEqual(p.AsSpan(0, 10).ToArray(), p.AsSpan(10, 10).ToArray());
    }

    [Fact]
    public void StringIdentityReturnsItsBytes()
    {
        byte[][] text = [Encoding.UTF8.GetBytes("hello"), [], [0, 1, 2], Encoding.UTF8.GetBytes("мир")];
        using var session = TestModels.Open(SampleModels.StringIdentity());
        using var input = TestModels.Strings([text.Length], text);
        using var output = TestModels.RunSingle(session, ("TEXT", input));

        Assert.Equal(text, TestModels.ToArrays(output.GetStringContent()));
        Assert.Equal("TEXT_OUT", session.Outputs[0].Name);
    }

    [Fact]
    public void EverySampleIsDeterministicAndNamedAfterItsFolder()
    {
        var first = SampleModels.All();
        var second = SampleModels.All();

        Assert.Equal(first.Select(s => s.Path), second.Select(s => s.Path));
        Assert.Equal(first.Count, first.Select(s => s.Path).Distinct().Count());
        for (var i = 0; i < first.Count; i++)
        {
            Assert.Equal(first[i].Bytes, second[i].Bytes);
            using var session = TestModels.Open(first[i].Bytes);
            var folder = first[i].Path.Split('/')[0];
            Assert.Equal(folder, session.Metadata.GraphName);
            Assert.Equal(folder, session.Metadata.Custom["sample"]);
            Assert.False(string.IsNullOrWhiteSpace(session.Metadata.Description));
        }
    }

    [Fact]
    public void WriteToWritesEverySample()
    {
        var repository = Directory.CreateTempSubdirectory("samples-");
        try
        {
            SampleModels.WriteTo(repository.FullName);

            foreach (var (path, bytes) in SampleModels.All())
            {
                Assert.Equal(bytes, File.ReadAllBytes(Path.Combine(repository.FullName, path)));
            }
        }
        finally
        {
            repository.Delete(recursive: true);
        }
    }

    [Fact]
    public void CommittedSampleFilesAreWhatTheCodeWrites()
    {
        var repository = FindUpward(Path.Combine("samples", "models"));

        foreach (var (path, bytes) in SampleModels.All())
        {
            var committed = Path.Combine(repository, path);
            Assert.True(File.Exists(committed), committed);
            Assert.True(bytes.AsSpan().SequenceEqual(File.ReadAllBytes(committed)), $"{committed} differs from SampleModels; regenerate it");
        }
    }

    private static string FindUpward(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, relative);
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException($"{relative} not found above {AppContext.BaseDirectory}");
    }
}
