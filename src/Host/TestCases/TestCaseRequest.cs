using System.Text;
using Inference.Host.Protocol.Engine;
using Inference.Packaging.Manifest;

namespace Inference.Host.TestCases;

/// <summary>
/// Turns a manifest test case into the request a client would send: its parameters (already typed by
/// the manifest reader) with the manifest's defaults filled in, and its data segments read from the
/// package's files or given inline, in each segment's first declared encoding.
/// </summary>
public static class TestCaseRequest
{
    /// <summary>The request, or null with the reason the test case cannot be sent.</summary>
    public static EngineRequest? Build(PluginManifest manifest, string packageDirectory, TestCase test, out string? error)
    {
        error = null;
        var parameters = new Dictionary<string, object?>(test.Parameters, StringComparer.Ordinal);
        foreach (var definition in manifest.Parameters.Where(p => !parameters.ContainsKey(p.Name)))
        {
            if (definition.Required)
            {
                error = $"the test gives no value for the required parameter '{definition.Name}'";
                return null;
            }

            parameters[definition.Name] = definition.Default;
        }

        var payload = new Dictionary<string, EngineDataSegment>(StringComparer.Ordinal);
        foreach (var segment in manifest.Request)
        {
            if (!test.Request.TryGetValue(segment.Name, out var data))
            {
                error = $"the test gives no data for the request segment '{segment.Name}'";
                return null;
            }

            var bytes = data.File is null ? Encoding.UTF8.GetBytes(data.Text ?? "") : ReadPackageFile(packageDirectory, data.File, out error);
            if (bytes is null)
            {
                return null;
            }

            payload[segment.Name] = new EngineDataSegment(segment.Name, segment.Encodings[0], EngineRequestReader.StatusOnce, bytes);
        }

        return new EngineRequest($"test:{test.Name}", null, EngineRequestReader.StatusOnce, parameters, new Dictionary<string, string?>(), payload);
    }

    /// <summary>A file the manifest names, relative to the package root (the reader refused paths that leave it).</summary>
    public static byte[]? ReadPackageFile(string packageDirectory, string relativePath, out string? error)
    {
        error = null;
        var path = Path.Combine(packageDirectory, relativePath);
        if (!File.Exists(path))
        {
            error = $"the file '{relativePath}' is not in the package";
            return null;
        }

        return File.ReadAllBytes(path);
    }
}
