using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Inference.Packaging.Manifest;

/// <summary>
/// Reads a manifest (YAML, or JSON, which the YAML parser also reads) and validates it in one pass,
/// reporting every problem with its path and line. The rules follow the ASE document on creating a
/// capability version (name lengths and alphabets, semantic versions, constraints, error-code fields,
/// the two concurrency numbers, the C1-C4/G1-G4 presets); <c>manifest.schema.json</c> publishes them.
/// </summary>
public static partial class ManifestReader
{
    public static readonly IReadOnlyList<string> FileNames = ["manifest.yaml", "manifest.yml", "manifest.json"];

    /// <summary>The manifest file at the root of an unpacked package, or null.</summary>
    public static string? Find(string packageRoot) =>
        FileNames.Select(name => Path.Combine(packageRoot, name)).FirstOrDefault(File.Exists);

    public static ManifestReadResult ReadFile(string path) => Read(File.ReadAllText(path));

    public static ManifestReadResult Read(string text)
    {
        var sink = new ProblemSink();
        YamlNode? root;
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(text));
            root = stream.Documents.Count == 0 ? null : stream.Documents[0].RootNode;
        }
        catch (YamlException e)
        {
            return new ManifestReadResult(null, [new ManifestProblem("", (int)e.Start.Line, $"not valid YAML or JSON: {e.InnerException?.Message ?? e.Message}")]);
        }

        if (root is not YamlMappingNode)
        {
            return new ManifestReadResult(null, [new ManifestProblem("", 0, "the manifest must be a mapping with service, parameters, request, response, errors, tests, config, resources and engine")]);
        }

        var map = new YamlMap(root, "", sink, "service", "parameters", "request", "response", "errors", "tests", "config", "resources", "engine");
        var service = ReadService(new YamlMap(map.Get("service"), "service", sink, "id", "alias", "version", "interface", "description"), map, sink);
        var parameters = ReadParameters(map, sink);
        var request = ReadSegments(map, "request", sink);
        var response = ReadSegments(map, "response", sink);
        var errors = ReadErrors(map, sink);
        var tests = ReadTests(map, parameters, request, response, sink);
        var config = ReadConfig(new YamlMap(map.Get("config"), "config", sink, "env", "settings", "maxConcurrency", "optimalConcurrency"), map, sink);
        var resources = ReadResources(new YamlMap(map.Get("resources"), "resources", sink, "preset", "cpu", "memoryMiB", "gpuMemoryMiB"), map, sink);
        var engine = ReadEngine(new YamlMap(map.Get("engine"), "engine", sink, "kind", "model", "assembly", "type", "library", "inputs", "outputs"), map, parameters, request, response, sink);

        if (sink.Problems.Count > 0 || service is null || config is null || resources is null || engine is null)
        {
            return new ManifestReadResult(null, sink.Problems);
        }

        return new ManifestReadResult(new PluginManifest(service, parameters, request, response, errors, tests, config, resources, engine), []);
    }

    private static ServiceInfo? ReadService(YamlMap s, YamlMap root, ProblemSink sink)
    {
        if (!s.Exists)
        {
            sink.Add("service", root.Node, "is required");
            return null;
        }

        var id = s.String("id", required: true);
        if (id is not null && !ServiceIdPattern().IsMatch(id))
        {
            sink.Add("service.id", s.Get("id"), $"'{id}' must start with a letter and have only letters, digits and '_' (at most 64)");
        }

        var alias = s.String("alias");
        if (alias is not null && !AliasPattern().IsMatch(alias))
        {
            sink.Add("service.alias", s.Get("alias"), $"'{alias}' must be 1-16 letters, digits or '_'");
        }
        else if (alias is null && id is not null && !AliasPattern().IsMatch(id))
        {
            sink.Add("service.alias", s.Node, $"is required: the alias defaults to the id, and '{id}' is longer than 16 characters");
        }

        var versionText = s.String("version", required: true);
        if (versionText is not null && !SemanticVersion.TryParse(versionText, out _))
        {
            sink.Add("service.version", s.Get("version"), $"'{versionText}' must be MAJOR.MINOR.PATCH, e.g. 1.0.0");
        }

        var interfaceText = s.String("interface") ?? "oneshot";
        InterfaceType? interfaceType = interfaceText switch
        {
            "oneshot" => InterfaceType.OneShot,
            "streaming" => InterfaceType.Streaming,
            _ => null,
        };
        if (interfaceType is null)
        {
            sink.Add("service.interface", s.Get("interface"), $"'{interfaceText}' must be oneshot (HTTP/1.1) or streaming (WebSocket)");
        }

        SemanticVersion.TryParse(versionText, out var version);
        return id is null || versionText is null || interfaceType is null
            ? null
            : new ServiceInfo(id, alias ?? id, version, interfaceType.Value, s.String("description"));
    }

    private static List<ParameterDefinition> ReadParameters(YamlMap root, ProblemSink sink)
    {
        var result = new List<ParameterDefinition>();
        foreach (var (item, path) in root.Sequence("parameters"))
        {
            var p = new YamlMap(item, path, sink, "name", "description", "type", "range", "enum", "required", "default");
            var name = p.String("name", required: true);
            if (name is not null && !NamePattern().IsMatch(name))
            {
                sink.Add($"{path}.name", p.Get("name"), $"'{name}' must be 1-32 letters, digits or '_'");
            }
            else if (name is not null && result.Any(r => r.Name == name))
            {
                sink.Add($"{path}.name", p.Get("name"), $"parameter '{name}' is defined twice");
            }

            var description = p.String("description");
            CheckLength(description, 128, $"{path}.description", p.Get("description"), sink);
            var typeText = p.String("type", required: true);
            ParameterType? type = typeText switch
            {
                "integer" => ParameterType.Integer,
                "float" => ParameterType.Float,
                "enum" => ParameterType.Enum,
                "boolean" => ParameterType.Boolean,
                "string" => ParameterType.String,
                "time" => ParameterType.Time,
                null => null,
                _ => Unknown<ParameterType>(sink, $"{path}.type", p.Get("type"), $"'{typeText}' must be one of integer, float, enum, boolean, string, time"),
            };

            var range = ReadRange(p, path, type, sink);
            var enumValues = ReadEnum(p, path, type, sink);
            var required = p.Boolean("required") ?? false;
            var defaultText = p.String("default");
            if (name is null || type is null)
            {
                continue;
            }

            var definition = new ParameterDefinition(name, description, type.Value, range, enumValues, required, null);
            object? defaultValue = null;
            if (defaultText is not null && !ParameterValues.TryConvert(definition, defaultText, out defaultValue, out var error))
            {
                sink.Add($"{path}.default", p.Get("default"), error!);
            }
            else if (defaultText is null && !required)
            {
                sink.Add($"{path}.default", item, $"optional parameter '{name}' needs a default (the value used when a caller leaves it out)");
            }

            result.Add(definition with { Default = defaultValue });
        }

        return result;
    }

    private static ValueRange? ReadRange(YamlMap p, string path, ParameterType? type, ProblemSink sink)
    {
        if (p.Get("range") is null)
        {
            return null;
        }

        if (type is not (ParameterType.Integer or ParameterType.Float or ParameterType.Time))
        {
            sink.Add($"{path}.range", p.Get("range"), "a range applies only to integer, float and time parameters");
            return null;
        }

        var r = new YamlMap(p.Get("range"), $"{path}.range", sink, "min", "max");
        var min = r.String("min");
        var max = r.String("max");
        var minValue = ParameterValues.ToComparable(type.Value, min);
        var maxValue = ParameterValues.ToComparable(type.Value, max);
        if (min is not null && minValue is null)
        {
            sink.Add($"{path}.range.min", r.Get("min"), $"'{min}' is not a valid {type.Value.ToString().ToLowerInvariant()}");
        }

        if (max is not null && maxValue is null)
        {
            sink.Add($"{path}.range.max", r.Get("max"), $"'{max}' is not a valid {type.Value.ToString().ToLowerInvariant()}");
        }

        if (minValue is not null && maxValue is not null && (minValue.GetType() != maxValue.GetType() || minValue.CompareTo(maxValue) > 0))
        {
            sink.Add($"{path}.range", r.Node, $"min {min} must not be above max {max} (and both of one kind)");
        }

        return new ValueRange(min, max);
    }

    private static List<EnumValue>? ReadEnum(YamlMap p, string path, ParameterType? type, ProblemSink sink)
    {
        if (p.Get("enum") is null)
        {
            if (type == ParameterType.Enum)
            {
                sink.Add($"{path}.enum", p.Node, "an enum parameter needs its values, each with its meaning");
            }

            return null;
        }

        if (type != ParameterType.Enum)
        {
            sink.Add($"{path}.enum", p.Get("enum"), "enum values apply only to enum parameters");
            return null;
        }

        var values = new List<EnumValue>();
        foreach (var (item, itemPath) in p.Sequence("enum"))
        {
            var e = new YamlMap(item, itemPath, sink, "value", "meaning");
            var value = e.String("value", required: true);
            var meaning = e.String("meaning", required: true);
            if (value is not null && values.Any(v => v.Value == value))
            {
                sink.Add($"{itemPath}.value", e.Get("value"), $"enum value '{value}' is listed twice");
            }

            if (value is not null && meaning is not null)
            {
                values.Add(new EnumValue(value, meaning));
            }
        }

        if (values.Count == 0)
        {
            sink.Add($"{path}.enum", p.Get("enum"), "must list at least one value");
        }

        return values;
    }

    private static List<DataSegment> ReadSegments(YamlMap root, string key, ProblemSink sink)
    {
        var result = new List<DataSegment>();
        foreach (var (item, path) in root.Sequence(key, required: true))
        {
            var s = new YamlMap(item, path, sink, "name", "type", "encodings", "description");
            var name = s.String("name", required: true);
            if (name is not null && !NamePattern().IsMatch(name))
            {
                sink.Add($"{path}.name", s.Get("name"), $"'{name}' must be 1-32 letters, digits or '_'");
            }
            else if (name is not null && result.Any(r => r.Name == name))
            {
                sink.Add($"{path}.name", s.Get("name"), $"data segment '{name}' is defined twice");
            }

            var typeText = s.String("type", required: true);
            SegmentType? type = typeText switch
            {
                "text" => SegmentType.Text,
                "audio" => SegmentType.Audio,
                "image" => SegmentType.Image,
                "video" => SegmentType.Video,
                "tensor" => SegmentType.Tensor,
                null => null,
                _ => Unknown<SegmentType>(sink, $"{path}.type", s.Get("type"), $"'{typeText}' must be one of text, audio, image, video, tensor"),
            };
            var encodings = new List<string>();
            foreach (var (encoding, encodingPath) in s.Sequence("encodings", required: true))
            {
                if (encoding is YamlScalarNode { Value: { Length: > 0 } e })
                {
                    encodings.Add(e);
                }
                else
                {
                    sink.Add(encodingPath, encoding, "must be an encoding name, e.g. utf8, raw, pcm_s16le, jpg");
                }
            }

            if (name is not null && type is not null)
            {
                result.Add(new DataSegment(name, type.Value, encodings, s.String("description")));
            }
        }

        if (result.Count == 0 && root.Get(key) is not null)
        {
            sink.Add(key, root.Get(key), "must define at least one data segment");
        }

        return result;
    }

    private static List<ErrorCodeDefinition> ReadErrors(YamlMap root, ProblemSink sink)
    {
        var result = new List<ErrorCodeDefinition>();
        foreach (var (item, path) in root.Sequence("errors"))
        {
            var e = new YamlMap(item, path, sink, "code", "name", "description", "strategy");
            var code = e.Integer("code", required: true);
            if (code is not null and (< 1 or > 9_999_999))
            {
                sink.Add($"{path}.code", e.Get("code"), $"{code} must be a positive code of at most 7 digits");
            }
            else if (code is not null && result.Any(r => r.Code == code))
            {
                sink.Add($"{path}.code", e.Get("code"), $"error code {code} is defined twice");
            }

            var name = e.String("name", required: true);
            if (name is not null && !ErrorNamePattern().IsMatch(name))
            {
                sink.Add($"{path}.name", e.Get("name"), $"'{name}' must be 1-256 letters, digits, '_' or '-', e.g. AIGES_ERROR_INVALID_PARA");
            }

            var description = e.String("description");
            var strategy = e.String("strategy");
            CheckLength(description, 518, $"{path}.description", e.Get("description"), sink);
            CheckLength(strategy, 518, $"{path}.strategy", e.Get("strategy"), sink);
            if (code is not null && name is not null)
            {
                result.Add(new ErrorCodeDefinition((int)code, name, description, strategy));
            }
        }

        return result;
    }

    private static List<TestCase> ReadTests(YamlMap root, List<ParameterDefinition> parameters, List<DataSegment> request, List<DataSegment> response, ProblemSink sink)
    {
        var result = new List<TestCase>();
        foreach (var (item, path) in root.Sequence("tests"))
        {
            var t = new YamlMap(item, path, sink, "name", "parameters", "request", "expect");
            var name = t.String("name", required: true);
            if (name is not null && result.Any(r => r.Name == name))
            {
                sink.Add($"{path}.name", t.Get("name"), $"test '{name}' is defined twice");
            }

            var values = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var (key, raw) in t.Scalars("parameters"))
            {
                var definition = parameters.FirstOrDefault(p => p.Name == key);
                if (definition is null)
                {
                    sink.Add($"{path}.parameters.{key}", t.Get("parameters"), $"'{key}' is not a declared parameter");
                }
                else if (!ParameterValues.TryConvert(definition, raw, out var value, out var error))
                {
                    sink.Add($"{path}.parameters.{key}", t.Get("parameters"), error!);
                }
                else
                {
                    values[key] = value;
                }
            }

            var data = new Dictionary<string, TestData>(StringComparer.Ordinal);
            foreach (var (segment, node, segmentPath) in t.Entries("request"))
            {
                if (request.All(r => r.Name != segment))
                {
                    sink.Add(segmentPath, node, $"'{segment}' is not a request data segment");
                }

                var d = new YamlMap(node, segmentPath, sink, "file", "text");
                var file = d.String("file");
                var text = d.String("text");
                if ((file is null) == (text is null))
                {
                    sink.Add(segmentPath, node, "give either file (a path in the package) or text");
                }

                CheckRelativePath(file, $"{segmentPath}.file", d.Get("file"), sink);
                data[segment] = new TestData(file, text);
            }

            var expect = new Dictionary<string, TestExpectation>(StringComparer.Ordinal);
            foreach (var (segment, node, segmentPath) in t.Entries("expect"))
            {
                if (response.All(r => r.Name != segment))
                {
                    sink.Add(segmentPath, node, $"'{segment}' is not a response data segment");
                }

                var x = new YamlMap(node, segmentPath, sink, "equals", "equalsFile", "contains");
                var expectation = new TestExpectation(x.String("equals"), x.String("equalsFile"), x.String("contains"));
                if (expectation is { EqualsText: null, EqualsFile: null, Contains: null })
                {
                    sink.Add(segmentPath, node, "give equals, equalsFile or contains");
                }

                CheckRelativePath(expectation.EqualsFile, $"{segmentPath}.equalsFile", x.Get("equalsFile"), sink);
                expect[segment] = expectation;
            }

            if (name is not null)
            {
                result.Add(new TestCase(name, values, data, expect));
            }
        }

        return result;
    }

    private static EngineConfig? ReadConfig(YamlMap c, YamlMap root, ProblemSink sink)
    {
        if (!c.Exists)
        {
            sink.Add("config", root.Node, "is required (at least maxConcurrency and optimalConcurrency)");
            return null;
        }

        var max = c.Integer("maxConcurrency", required: true);
        var optimal = c.Integer("optimalConcurrency", required: true);
        if (max is < 1 or > 100_000)
        {
            sink.Add("config.maxConcurrency", c.Get("maxConcurrency"), $"{max} must be between 1 and 100000");
        }

        if (optimal is < 1)
        {
            sink.Add("config.optimalConcurrency", c.Get("optimalConcurrency"), $"{optimal} must be at least 1");
        }
        else if (optimal > max)
        {
            sink.Add("config.optimalConcurrency", c.Get("optimalConcurrency"), $"{optimal} must not be above maxConcurrency ({max})");
        }

        var env = c.Scalars("env").ToDictionary(p => p.Key, p => p.Value ?? "", StringComparer.Ordinal);
        var settings = c.Scalars("settings").ToDictionary(p => p.Key, p => p.Value ?? "", StringComparer.Ordinal);
        return max is null || optimal is null ? null : new EngineConfig(env, settings, (int)max, (int)optimal);
    }

    private static ResourceSpec? ReadResources(YamlMap r, YamlMap root, ProblemSink sink)
    {
        if (!r.Exists)
        {
            sink.Add("resources", root.Node, "is required: a preset (C1-C4, G1-G4) or cpu and memoryMiB");
            return null;
        }

        var preset = r.String("preset");
        var cpu = r.Integer("cpu");
        var memory = r.Integer("memoryMiB");
        var gpu = r.Integer("gpuMemoryMiB");
        if (preset is not null)
        {
            if (cpu is not null || memory is not null || gpu is not null)
            {
                sink.Add("resources", r.Node, "give a preset or explicit figures, not both");
            }

            if (!ResourcePresets.All.TryGetValue(preset, out var spec))
            {
                sink.Add("resources.preset", r.Get("preset"), $"'{preset}' must be one of {string.Join(", ", ResourcePresets.All.Keys)}");
                return null;
            }

            return spec;
        }

        if (cpu is null or < 1)
        {
            sink.Add("resources.cpu", r.Get("cpu") ?? r.Node, "must be at least 1 core (or give a preset)");
        }

        if (memory is null or < 1)
        {
            sink.Add("resources.memoryMiB", r.Get("memoryMiB") ?? r.Node, "must be at least 1 MiB (or give a preset)");
        }

        if (gpu is < 0)
        {
            sink.Add("resources.gpuMemoryMiB", r.Get("gpuMemoryMiB"), "must not be negative");
        }

        return new ResourceSpec(null, (int)(cpu ?? 0), memory ?? 0, gpu ?? 0);
    }

    private static EngineEntry? ReadEngine(YamlMap e, YamlMap root, List<ParameterDefinition> parameters, List<DataSegment> request, List<DataSegment> response, ProblemSink sink)
    {
        if (!e.Exists)
        {
            sink.Add("engine", root.Node, "is required: kind (onnx, managed or native) and its entry");
            return null;
        }

        var kindText = e.String("kind", required: true);
        EngineKind? kind = kindText switch
        {
            "onnx" => EngineKind.Onnx,
            "managed" => EngineKind.Managed,
            "native" => EngineKind.Native,
            null => null,
            _ => Unknown<EngineKind>(sink, "engine.kind", e.Get("kind"), $"'{kindText}' must be onnx, managed or native"),
        };
        var model = e.String("model");
        var assembly = e.String("assembly");
        var type = e.String("type");
        var library = e.String("library");
        CheckRelativePath(model, "engine.model", e.Get("model"), sink);
        CheckRelativePath(assembly, "engine.assembly", e.Get("assembly"), sink);
        CheckRelativePath(library, "engine.library", e.Get("library"), sink);
        switch (kind)
        {
            case EngineKind.Onnx when model is null:
                sink.Add("engine.model", e.Node, "an onnx engine needs its model file");
                break;
            case EngineKind.Managed when assembly is null || type is null:
                sink.Add(assembly is null ? "engine.assembly" : "engine.type", e.Node, "a managed engine needs its assembly and the plugin type's full name");
                break;
            case EngineKind.Native when library is null:
                sink.Add("engine.library", e.Node, "a native engine needs its library (e.g. lib/libwrapper.so)");
                break;
        }

        var inputs = ReadBindings(e, "inputs", name => parameters.Any(p => p.Name == name) || request.Any(s => s.Name == name), "a parameter or request data segment", sink);
        var outputs = ReadBindings(e, "outputs", name => response.Any(s => s.Name == name), "a response data segment", sink);
        if (kind == EngineKind.Onnx && (inputs.Count == 0 || outputs.Count == 0))
        {
            sink.Add(inputs.Count == 0 ? "engine.inputs" : "engine.outputs", e.Node, "an onnx engine maps parameters and data segments to model inputs, and model outputs to response segments");
        }

        return kind is null ? null : new EngineEntry(kind.Value, model, assembly, type, library, inputs, outputs);
    }

    private static List<TensorBinding> ReadBindings(YamlMap e, string key, Func<string, bool> sourceExists, string sourceKind, ProblemSink sink)
    {
        var result = new List<TensorBinding>();
        foreach (var (item, path) in e.Sequence(key))
        {
            var b = new YamlMap(item, path, sink, "source", "tensor", "datatype", "shape");
            var source = b.String("source", required: true);
            var tensor = b.String("tensor", required: true);
            if (source is not null && !sourceExists(source))
            {
                sink.Add($"{path}.source", b.Get("source"), $"'{source}' is not {sourceKind}");
            }

            var shape = new List<long>();
            foreach (var (dim, dimPath) in b.Sequence("shape"))
            {
                if (dim is YamlScalarNode { Value: { } text } && long.TryParse(text, out var d) && d >= -1)
                {
                    shape.Add(d);
                }
                else
                {
                    sink.Add(dimPath, dim, "must be a dimension size, or -1 for any size");
                }
            }

            if (source is not null && tensor is not null)
            {
                result.Add(new TensorBinding(source, tensor, b.String("datatype"), b.Get("shape") is null ? null : shape));
            }
        }

        return result;
    }

    private static void CheckRelativePath(string? path, string at, YamlNode? node, ProblemSink sink)
    {
        if (path is null)
        {
            return;
        }

        if (path.Length == 0 || Path.IsPathRooted(path) || path.Replace('\\', '/').Split('/').Contains(".."))
        {
            sink.Add(at, node, $"'{path}' must be a path inside the package (relative, without '..')");
        }
    }

    private static void CheckLength(string? text, int max, string at, YamlNode? node, ProblemSink sink)
    {
        if (text is not null && text.Length > max)
        {
            sink.Add(at, node, $"is {text.Length} characters long; at most {max}");
        }
    }

    private static T? Unknown<T>(ProblemSink sink, string path, YamlNode? node, string message)
        where T : struct
    {
        sink.Add(path, node, message);
        return null;
    }

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_]{0,63}$")]
    private static partial Regex ServiceIdPattern();

    [GeneratedRegex("^[A-Za-z0-9_]{1,16}$")]
    private static partial Regex AliasPattern();

    [GeneratedRegex("^[A-Za-z0-9_]{1,32}$")]
    private static partial Regex NamePattern();

    [GeneratedRegex("^[A-Za-z0-9_-]{1,256}$")]
    private static partial Regex ErrorNamePattern();
}
