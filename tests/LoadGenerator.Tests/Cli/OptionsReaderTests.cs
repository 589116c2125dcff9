using Inference.LoadGenerator.Cli;
using Inference.LoadGenerator.Requests;
using Inference.LoadGenerator.Running;

namespace Inference.LoadGenerator.Tests.Cli;

public sealed class OptionsReaderTests
{
    private static readonly Uri Url = new("http://127.0.0.1:8080/v2/models/simple/infer");

    [Fact]
    public void GeneratedBinaryInputsBecomeAPostWithTheirHeaders()
    {
        var options = Read(new CommandLineValues { Url = Url, Inputs = ["INPUT0:FP32:1x16"], Binary = true, Headers = ["X-Priority: 1"] });

        Assert.Equal("POST", options.Target.Method);
        Assert.Equal([1], options.ConcurrencyLevels);
        Assert.False(options.IsSweep);
        Assert.Contains(new HeaderField("Content-Type", "application/octet-stream"), options.Target.Headers);
        Assert.Contains(new HeaderField("X-Priority", "1"), options.Target.Headers);
        var length = int.Parse(Assert.Single(options.Target.Headers, h => h.Name == OipRequestBody.HeaderLengthHeader).Value);
        Assert.Equal(length + 64, options.Target.Body.Length);
    }

    [Fact]
    public void AGivenHeaderReplacesTheGeneratedOneOfTheSameName()
    {
        var options = Read(new CommandLineValues { Url = Url, Inputs = ["INPUT0:FP32:1x16"], Headers = ["content-type: text/plain"] });

        Assert.Equal("text/plain", Assert.Single(options.Target.Headers, h => h.Name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase)).Value);
    }

    [Fact]
    public void ABodyFileIsSentAsItIs()
    {
        var file = Path.Combine(Path.GetTempPath(), $"loadgen-{Guid.NewGuid():N}.json");
        File.WriteAllText(file, "{\"header\":{}}");
        try
        {
            var options = Read(new CommandLineValues { Url = Url, BodyFile = file, Sweep = [1, 4] });

            Assert.Equal("{\"header\":{}}"u8.ToArray(), options.Target.Body);
            Assert.Contains(new HeaderField("Content-Type", "application/json"), options.Target.Headers);
            Assert.Equal([1, 4], options.ConcurrencyLevels);
            Assert.True(options.IsSweep);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void NoBodyMeansGet()
    {
        var options = Read(new CommandLineValues { Url = Url });

        Assert.Equal("GET", options.Target.Method);
        Assert.Empty(options.Target.Body);
        Assert.Equal(TimeSpan.FromSeconds(10), options.Duration);
        Assert.Equal(TimeSpan.FromSeconds(2), options.WarmUp);
    }

    [Theory]
    [InlineData("--body and --input are alternatives")]
    [InlineData("https needs --client http")]
    [InlineData("--concurrency and --sweep are alternatives")]
    [InlineData("--settle needs --pid")]
    [InlineData("--binary and --binary-output shape a generated infer request")]
    [InlineData("--duration must be more than 0")]
    [InlineData("cannot read the resident memory of process")]
    [InlineData("-H: header 'nocolon'")]
    [InlineData("--input: input 'X:FLOAT:1'")]
    public void EachProblemIsReported(string expected)
    {
        var values = expected switch
        {
            "--body and --input are alternatives" => new CommandLineValues { Url = Url, BodyFile = "x.json", Inputs = ["A:FP32:1"] },
            "https needs --client http" => new CommandLineValues { Url = new Uri("https://localhost/") },
            "--concurrency and --sweep are alternatives" => new CommandLineValues { Url = Url, Concurrency = 2, Sweep = [1, 2] },
            "--settle needs --pid" => new CommandLineValues { Url = Url, Settle = TimeSpan.FromSeconds(1) },
            "--binary and --binary-output shape a generated infer request" => new CommandLineValues { Url = Url, Binary = true },
            "--duration must be more than 0" => new CommandLineValues { Url = Url, Duration = TimeSpan.Zero },
            "cannot read the resident memory of process" => new CommandLineValues { Url = Url, Pid = int.MaxValue },
            "-H: header 'nocolon'" => new CommandLineValues { Url = Url, Headers = ["nocolon"] },
            _ => new CommandLineValues { Url = Url, Inputs = ["X:FLOAT:1"] },
        };
        var errors = new List<string>();

        Assert.Null(OptionsReader.Read(values, errors));
        Assert.Contains(errors, e => e.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void AllProblemsAreReportedAtOnce()
    {
        var errors = new List<string>();

        OptionsReader.Read(new CommandLineValues { Url = new Uri("https://localhost/"), Concurrency = 0, Settle = TimeSpan.FromSeconds(1) }, errors);

        Assert.Equal(3, errors.Count);
    }

    [Theory]
    [InlineData("500ms", 0.5)]
    [InlineData("10s", 10)]
    [InlineData("2m", 120)]
    [InlineData("1h", 3600)]
    [InlineData("1.5", 1.5)]
    [InlineData("0", 0)]
    public void DurationsParse(string text, double seconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(seconds), DurationParser.Parse(text, out var error));
        Assert.Null(error);
    }

    [Theory]
    [InlineData("ten")]
    [InlineData("-1s")]
    [InlineData("5d")]
    [InlineData("")]
    public void BadDurationsAreRefused(string text)
    {
        Assert.Null(DurationParser.Parse(text, out var error));
        Assert.NotNull(error);
    }

    [Fact]
    public void SweepsKeepTheirOrderAndRefuseNonsense()
    {
        Assert.Equal([1, 2, 4, 64], SweepParser.Parse("1, 2,4,64", out _));
        Assert.Null(SweepParser.Parse("1,0", out var zero));
        Assert.Contains("'0'", zero);
        Assert.Null(SweepParser.Parse("1,,2", out _));
    }

    private static LoadOptions Read(CommandLineValues values)
    {
        var errors = new List<string>();
        var options = OptionsReader.Read(values, errors);
        Assert.Empty(errors);
        return options!;
    }
}
