using Inference.Host.Protocol.Engine;
using Inference.Onnx.Runtime;
using Inference.Packaging.Manifest;

namespace Inference.Host.Engines;

/// <summary>The ONNX-only plugin kind: the package's model run by the host, mapped by the manifest's bindings.</summary>
public sealed class OnnxEngine(PluginManifest manifest, InferenceSession session) : IEngine
{
    public PluginManifest Manifest { get; } = manifest;

    public ValueTask<IReadOnlyList<EngineDataSegment>> ExecuteAsync(EngineRequest request, CancellationToken cancellationToken)
    {
        var engine = Manifest.Engine;
        var bindings = request.Expect.Count == 0 ? engine.Outputs : engine.Outputs.Where(o => request.Expect.ContainsKey(o.Source)).ToList();
        var outputIndices = bindings.Select(b => session.GetOutputIndex(b.Tensor) is >= 0 and var i
            ? i
            : throw new InvalidOperationException($"the model has no output '{b.Tensor}'; its outputs: {string.Join(", ", session.Outputs.Select(o => o.Name))}")).ToArray();
        var (inputIndices, values) = OnnxTensorMapping.BuildInputs(session, engine, request);
        var outputs = new OrtValue?[outputIndices.Length];
        try
        {
            using var runOptions = new OrtRunOptions();
            using (cancellationToken.Register(static s => ((OrtRunOptions)s!).Terminate(), runOptions))
            {
                cancellationToken.ThrowIfCancellationRequested();
                session.Run(inputIndices, values, outputIndices, outputs, runOptions);
            }

            var segments = new EngineDataSegment[bindings.Count];
            for (var i = 0; i < bindings.Count; i++)
            {
                var segment = Manifest.Response.First(r => r.Name == bindings[i].Source);
                segments[i] = OnnxTensorMapping.Encode(bindings[i], outputs[i]!, segment, request.Expect.GetValueOrDefault(bindings[i].Source));
            }

            return ValueTask.FromResult<IReadOnlyList<EngineDataSegment>>(segments);
        }
        finally
        {
            foreach (var value in values)
            {
                value.Dispose();
            }

            foreach (var output in outputs)
            {
                output?.Dispose();
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        session.Dispose();
        return ValueTask.CompletedTask;
    }
}
