using Inference.Host.Execution;
using Inference.Host.Scheduling;
using Inference.Host.Tests.Infrastructure;
using Inference.Onnx.Authoring;
using Inference.Onnx.Tensors;

namespace Inference.Host.Tests.Execution;

public sealed class ModelWarmUpTests
{
    public static TheoryData<string> DataTypes() => new(TestRepository.DataTypes.Select(d => d.Suffix));

    [Theory]
    [MemberData(nameof(DataTypes))]
    public void AModelWithDynamicDimensionsRunsOnGeneratedInputsOfEveryType(string suffix)
    {
        var type = TestRepository.DataTypes.Single(d => d.Suffix == suffix).Type;
        using var session = OrtTestEnvironment.CreateSession(new OnnxGraphBuilder("warm")
            .Input("IN", type, "a", 3)
            .Output("OUT", type, "a", 3)
            .Node("Identity", ["IN"], ["OUT"])
            .Build());

        Assert.Null(ModelWarmUp.Run(session));
    }

    [Fact]
    public void TheSampleModelsWarmUp()
    {
        using var simple = OrtTestEnvironment.CreateSession(SampleModels.Simple());
        using var mlp = OrtTestEnvironment.CreateSession(SampleModels.MlpClassifier());

        Assert.Null(ModelWarmUp.Run(simple));
        Assert.Null(ModelWarmUp.Run(mlp));
    }

    [Theory]
    [InlineData(IoBindingMode.Off, 0)]
    [InlineData(IoBindingMode.On, 1)]
    public void AnInstanceWarmsUpTheWayItServes(IoBindingMode ioBinding, int bindings)
    {
        using var instance = new ModelInstance(OrtTestEnvironment.CreateSession(SampleModels.MlpClassifier()), InstanceDevice.Cpu, ioBinding);

        Assert.Null(ModelWarmUp.Run(instance));

        // A bound instance has made (and pooled) the binding its first request will use.
        Assert.Equal(bindings, instance.LiveBindings);
    }

    [Fact]
    public void AModelThatCannotRunOnGeneratedInputsIsReportedNotThrown()
    {
        // Reshape to a fixed 3 elements: the generated 1-element input cannot run, which proves a run happened.
        using var session = OrtTestEnvironment.CreateSession(new OnnxGraphBuilder("reshape")
            .Input("IN", TensorElementType.Float, "n")
            .Initializer<long>("target", TensorElementType.Int64, [1], [3])
            .Output("OUT", TensorElementType.Float, 3)
            .Node("Reshape", ["IN", "target"], ["OUT"])
            .Build());

        var problem = ModelWarmUp.Run(session);

        Assert.NotNull(problem);
        Assert.StartsWith("warm-up on generated inputs failed (the model stays ready", problem, StringComparison.Ordinal);
    }
}
