using Inference.Packaging.Manifest;

namespace Inference.Packaging.Tests.Manifest;

public sealed class ManifestReaderTests
{
    [Fact]
    public void ValidYamlReadsEverySection()
    {
        var result = ManifestReader.Read(SampleManifests.ValidYaml);

        Assert.True(result.IsValid, string.Join("\n", result.Problems));
        var m = result.Manifest!;
        Assert.Equal("text_classifier", m.Service.Id);
        Assert.Equal("classifier", m.Service.Alias);
        Assert.Equal(new SemanticVersion(1, 2, 0), m.Service.Version);
        Assert.Equal(InterfaceType.OneShot, m.Service.Interface);
        Assert.Equal(5, m.Parameters.Count);
        Assert.Equal("en", m.Parameters[0].Default);
        Assert.Equal(["en", "zh"], m.Parameters[0].Enum!.Select(e => e.Value));
        Assert.Equal(0.5, m.Parameters[1].Default);
        Assert.True(m.Parameters[2].Required);
        Assert.Equal(false, m.Parameters[3].Default);
        Assert.Equal(new TimeSpan(9, 30, 0), m.Parameters[4].Default);
        Assert.Equal(SegmentType.Text, Assert.Single(m.Request).Type);
        Assert.Equal(["json"], Assert.Single(m.Response).Encodings);
        Assert.Equal(10001, Assert.Single(m.Errors).Code);
        var test = Assert.Single(m.Tests);
        Assert.Equal(3L, test.Parameters["top_k"]);
        Assert.Equal("what a great day", test.Request["text"].Text);
        Assert.Equal("positive", test.Expect["result"].Contains);
        Assert.Equal(8, m.Config.MaxConcurrency);
        Assert.Equal(4, m.Config.OptimalConcurrency);
        Assert.Equal("1", m.Config.Env["OMP_NUM_THREADS"]);
        Assert.Equal(ResourcePresets.All["C1"], m.Resources);
        Assert.Equal(EngineKind.Onnx, m.Engine.Kind);
        Assert.Equal("TEXT", Assert.Single(m.Engine.Inputs).Tensor);
        Assert.Equal([-1L], m.Engine.Inputs[0].Shape!);
    }

    [Fact]
    public void JsonIsReadToo()
    {
        var result = ManifestReader.Read(SampleManifests.ValidJson);

        Assert.True(result.IsValid, string.Join("\n", result.Problems));
        Assert.Equal(EngineKind.Managed, result.Manifest!.Engine.Kind);
        Assert.Equal(new ResourceSpec(null, 2, 4096, 0), result.Manifest.Resources);
    }

    [Fact]
    public void EveryProblemIsReportedAtOnceWithItsPath()
    {
        var result = ManifestReader.Read("""
            service:
              id: 9bad id
              version: 1.2
              interface: grpc
            parameters:
              - name: this_name_is_far_too_long_for_ase_rules
                type: integer
                range: { min: 10, max: 1 }
                default: 0
              - name: mode
                type: enum
                required: false
            request: []
            response:
              - { name: out, type: smell, encodings: [utf8] }
            errors:
              - { code: 123456789, name: "bad name!" }
            config:
              maxConcurency: 4
              maxConcurrency: 2
              optimalConcurrency: 3
            resources: { preset: C9 }
            engine: { kind: onnx, model: ../outside.onnx }
            """);

        Assert.False(result.IsValid);
        Assert.Null(result.Manifest);
        var paths = result.Problems.Select(p => p.Path).ToHashSet();
        string[] expected =
        [
            "service.id", "service.version", "service.interface", "service.alias",
            "parameters[0].name", "parameters[0].range", "parameters[1].enum", "parameters[1].default",
            "request", "response[0].type", "errors[0].code", "errors[0].name",
            "config.maxConcurency", "config.optimalConcurrency", "resources.preset", "engine.model", "engine.inputs",
        ];
        foreach (var path in expected)
        {
            Assert.True(paths.Contains(path), $"no problem reported at {path}; got:\n{string.Join("\n", result.Problems)}");
        }

        Assert.All(result.Problems, p => Assert.True(p.Line > 0, $"{p} has no line"));
    }

    [Theory]
    [InlineData("top_k: 11", "outside its range")]
    [InlineData("top_k: two", "must be an integer")]
    [InlineData("language: fr", "must be one of en, zh")]
    [InlineData("nope: 1", "not a declared parameter")]
    public void TestCaseParametersAreCheckedAgainstTheirDefinitions(string parameter, string message)
    {
        var yaml = SampleManifests.ValidYaml.Replace("parameters: { top_k: 3, language: zh }", $"parameters: {{ {parameter} }}", StringComparison.Ordinal);

        var result = ManifestReader.Read(yaml);

        var problem = Assert.Single(result.Problems);
        Assert.StartsWith("tests[0].parameters.", problem.Path, StringComparison.Ordinal);
        Assert.Contains(message, problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DefaultOutsideTheRangeIsReported()
    {
        var yaml = SampleManifests.ValidYaml.Replace("default: 0.5", "default: 1.5", StringComparison.Ordinal);

        var problem = Assert.Single(ManifestReader.Read(yaml).Problems);

        Assert.Equal("parameters[1].default", problem.Path);
        Assert.Contains("outside its range", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TestsMustNameDeclaredSegments()
    {
        var yaml = SampleManifests.ValidYaml.Replace("text: { text: \"what a great day\" }", "audio: { file: ../x.wav }", StringComparison.Ordinal);

        var problems = ManifestReader.Read(yaml).Problems.Select(p => p.Path).ToList();

        Assert.Contains("tests[0].request.audio", problems);
        Assert.Contains("tests[0].request.audio.file", problems);
    }

    [Fact]
    public void EngineMappingsMustNameDeclaredSourcesAndEachKindItsEntry()
    {
        var yaml = SampleManifests.ValidYaml
            .Replace("{ source: text, tensor: TEXT", "{ source: nothing, tensor: TEXT", StringComparison.Ordinal)
            .Replace("kind: onnx\n  model: model/model.onnx", "kind: native", StringComparison.Ordinal);

        var problems = ManifestReader.Read(yaml).Problems;

        Assert.Contains(problems, p => p.Path == "engine.inputs[0].source" && p.Message.Contains("'nothing'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Path == "engine.library");
    }

    [Fact]
    public void LongIdNeedsAnAlias()
    {
        var yaml = SampleManifests.ValidYaml.Replace("id: text_classifier\n  alias: classifier", "id: a_very_long_service_identifier", StringComparison.Ordinal);

        var problem = Assert.Single(ManifestReader.Read(yaml).Problems);

        Assert.Equal("service.alias", problem.Path);
    }

    [Fact]
    public void SyntaxErrorsGiveTheLine()
    {
        var result = ManifestReader.Read("service:\n  id: [unclosed\n");

        var problem = Assert.Single(result.Problems);
        Assert.True(problem.Line >= 2, problem.ToString());
        Assert.Contains("not valid YAML or JSON", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FindLooksForTheManifestAtThePackageRoot()
    {
        var root = Directory.CreateTempSubdirectory("manifest-find-");
        try
        {
            Assert.Null(ManifestReader.Find(root.FullName));
            File.WriteAllText(Path.Combine(root.FullName, "manifest.json"), SampleManifests.ValidJson);
            Assert.Equal(Path.Combine(root.FullName, "manifest.json"), ManifestReader.Find(root.FullName));
            Assert.True(ManifestReader.ReadFile(ManifestReader.Find(root.FullName)!).IsValid);
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }
}
