using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Inference.Onnx.Authoring;
using Inference.Onnx.Tensors;

namespace Inference.Host.Tests.Infrastructure;

/// <summary>
/// Plugin packages for the engine API tests, written into a repository: <c>gain-1.0.0.tar.gz</c> (an
/// ONNX-only plugin: scaled = audio * gain), <c>gain-1.1.0.tar.gz</c> (the same, newer), a package
/// whose MD5 sidecar is wrong, and one whose manifest is invalid.
/// </summary>
public static class TestPackages
{
    public const string GainManifest = """
        service: { id: gain, version: 1.0.0, description: Scales raw FP32 audio. }
        parameters:
          - { name: gain, type: float, range: { min: 0, max: 10 }, default: 1 }
          - { name: channel, type: enum, enum: [ { value: left, meaning: Left }, { value: right, meaning: Right } ], required: true }
        request:
          - { name: audio, type: audio, encodings: [raw] }
        response:
          - { name: scaled, type: tensor, encodings: [json, raw] }
        errors:
          - { code: 10001, name: GAIN_ERROR, description: never raised, strategy: none }
        config: { maxConcurrency: 4, optimalConcurrency: 2 }
        resources: { preset: C1 }
        engine:
          kind: onnx
          model: model/model.onnx
          inputs:
            - { source: audio, tensor: AUDIO, datatype: FP32 }
            - { source: gain, tensor: GAIN }
          outputs:
            - { source: scaled, tensor: OUT }
        """;

    public static void WriteTo(string repository)
    {
        var model = new OnnxGraphBuilder("gain")
            .Input("AUDIO", TensorElementType.Float, 1, "n")
            .Input("GAIN", TensorElementType.Float)
            .Output("OUT", TensorElementType.Float, 1, "n")
            .Node("Mul", ["AUDIO", "GAIN"], ["OUT"])
            .Build();
        Write(repository, "gain-1.0.0.tar.gz", GainManifest, model, goodDigest: true);
        Write(repository, "gain-1.1.0.tar.gz", GainManifest.Replace("version: 1.0.0", "version: 1.1.0", StringComparison.Ordinal), model, goodDigest: true);
        Write(repository, "tampered-1.0.0.tar.gz", GainManifest.Replace("id: gain", "id: tampered", StringComparison.Ordinal), model, goodDigest: false);
        Write(repository, "badmanifest-1.0.0.tar.gz", "service: { id: badmanifest, version: 1.0.0 }\n", model, goodDigest: true);
    }

    private static void Write(string repository, string fileName, string manifest, byte[] model, bool goodDigest)
    {
        var path = Path.Combine(repository, fileName);
        using (var file = File.Create(path))
        using (var gzip = new GZipStream(file, CompressionLevel.Fastest))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Pax))
        {
            tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "manifest.yaml") { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(manifest)) });
            tar.WriteEntry(new PaxTarEntry(TarEntryType.Directory, "model/"));
            tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "model/model.onnx") { DataStream = new MemoryStream(model) });
        }

        var digest = Convert.ToHexStringLower(MD5.HashData(File.ReadAllBytes(path)));
        if (!goodDigest)
        {
            digest = new string('0', 32);
        }

        File.WriteAllText(path + ".md5", $"{digest}  {fileName}\n");
    }
}
