using System.Net.Http.Json;
using System.Text.Json;
using Inference.Host.Admission;
using Inference.Host.Engines;
using Inference.Host.Registry;
using Inference.Onnx.Authoring;
using Inference.Onnx.Tensors;
using Microsoft.Extensions.DependencyInjection;

namespace Inference.Host.Tests.Infrastructure;

/// <summary>
/// A host for the load-control tests, with its own repository and a watched <c>--settings</c> file the
/// tests rewrite: <c>simple</c> (the sample), <c>slow</c> (a chain of MatMuls whose run time grows
/// with the rows sent, to have a run in progress), and the echo test package.
/// </summary>
public sealed class LoadControlHost : IAsyncDisposable
{
    public const int SlowWidth = 256;
    public const int SlowDepth = 400;

    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private LoadControlHost(string root, string settings, StartedHost host)
    {
        Root = root;
        SettingsFile = settings;
        Host = host;
    }

    public string Root { get; }

    public string SettingsFile { get; }

    public StartedHost Host { get; }

    public HttpClient Client => Host.Client;

    public static async Task<LoadControlHost> StartAsync(string settingsJson, params string[] extraArgs)
    {
        var root = Path.Combine(Path.GetTempPath(), "inference-load-" + Guid.NewGuid().ToString("N"));
        var repository = Path.Combine(root, "models");
        Directory.CreateDirectory(Path.Combine(repository, "simple", "1"));
        File.WriteAllBytes(Path.Combine(repository, "simple", "1", "model.onnx"), SampleModels.Simple());
        Directory.CreateDirectory(Path.Combine(repository, "slow", "1"));
        File.WriteAllBytes(Path.Combine(repository, "slow", "1", "model.onnx"), SlowModel());
        TestPackages.WriteTo(repository);
        var settings = Path.Combine(root, "settings.json");
        File.WriteAllText(settings, settingsJson);
        string[] args = ["--repository", repository, "--http-port", "0", "--settings", settings, "--run-test-cases-on-load", "false", .. extraArgs];
        return new LoadControlHost(root, settings, await StartedHost.StartAsync(args));
    }

    public AdmissionGate ModelGate(string name) =>
        Host.App.Services.GetRequiredService<ModelRegistry>().Resolve(name, null, out _)!.Gate!;

    public AdmissionGate EngineGate(string service) =>
        Host.App.Services.GetRequiredService<EngineRegistry>().Resolve(service, null, out _)!.Gate!;

    /// <summary>Rewrites the settings file, as an operator editing it would.</summary>
    public Task RewriteSettingsAsync(string json) => File.WriteAllTextAsync(SettingsFile, json);

    /// <summary>An OIP JSON request for <c>simple</c>, with request parameters when given.</summary>
    public static object SimpleRequest(object? parameters = null, float value = 1)
    {
        var inputs = new[]
        {
            new { name = "INPUT0", shape = new[] { 1, 16 }, datatype = "FP32", data = Enumerable.Repeat(value, 16).ToArray() },
            new { name = "INPUT1", shape = new[] { 1, 16 }, datatype = "FP32", data = Enumerable.Repeat(1f, 16).ToArray() },
        };
        return parameters is null ? new { inputs } : new { parameters, inputs };
    }

    /// <summary>A binary-tensor request for <c>slow</c> with the given number of rows.</summary>
    public static HttpContent SlowRequest(int rows, object? parameters = null)
    {
        var inputs = new[] { new { name = "X", shape = new[] { rows, SlowWidth }, datatype = "FP32", parameters = new { binary_data_size = rows * SlowWidth * 4 } } };
        var outputs = new[] { new { name = "Y", parameters = new { binary_data = true } } };
        var header = parameters is null
            ? JsonSerializer.SerializeToUtf8Bytes(new { inputs, outputs })
            : JsonSerializer.SerializeToUtf8Bytes(new { parameters, inputs, outputs });
        var body = new byte[header.Length + rows * SlowWidth * 4];
        header.CopyTo(body, 0);
        var content = new ByteArrayContent(body);
        content.Headers.Add("Inference-Header-Content-Length", header.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return content;
    }

    public static async Task WaitUntil(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(Wait);
        while (!condition())
        {
            await Task.Delay(10, timeout.Token);
        }
    }

    public async Task<JsonElement> LoadOf(string kind, string name)
    {
        var load = await Client.GetFromJsonAsync<JsonElement>("/v1/load");
        return load.GetProperty("gates").EnumerateArray().Single(g => g.GetProperty("kind").GetString() == kind && g.GetProperty("name").GetString() == name);
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp folder left behind harms nothing.
        }
    }

    /// <summary>Y = X·W·W·…·W (<see cref="SlowDepth"/> MatMuls, W the identity): slow, and the output equals the input.</summary>
    private static byte[] SlowModel()
    {
        var identity = new float[SlowWidth * SlowWidth];
        for (var i = 0; i < SlowWidth; i++)
        {
            identity[(i * SlowWidth) + i] = 1;
        }

        var builder = new OnnxGraphBuilder("slow")
            .Input("X", TensorElementType.Float, "rows", SlowWidth)
            .Initializer("W", TensorElementType.Float, [SlowWidth, SlowWidth], identity)
            .Output("Y", TensorElementType.Float, "rows", SlowWidth);
        var previous = "X";
        for (var i = 0; i < SlowDepth; i++)
        {
            var next = i == SlowDepth - 1 ? "Y" : $"h{i}";
            builder.Node("MatMul", [previous, "W"], [next]);
            previous = next;
        }

        return builder.Build();
    }
}
