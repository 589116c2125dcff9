using System.Buffers;
using System.Text.Json;
using Inference.Host.Observability;
using Inference.Host.Registry;

namespace Inference.Host.Transport.Http;

/// <summary>
/// Writes Triton's statistics shape (<c>model_stats</c> with count and cumulative ns per stage) and,
/// beside each stage, our own <c>p50_ns</c> / <c>p99_ns</c> and the host's overhead outside the ORT run;
/// <c>batch_stats</c> per batch size (a request run alone counts as a batch of its first dimension),
/// and the model's instances (count, busy, runs waiting for one, requests waiting in the batch queue).
/// </summary>
public static class StatisticsWriter
{
    public static void Write(IBufferWriter<byte> destination, IEnumerable<ModelVersionEntry> entries)
    {
        using var w = new Utf8JsonWriter(destination);
        w.WriteStartObject();
        w.WriteStartArray("model_stats"u8);
        foreach (var entry in entries)
        {
            if (entry.Model is not { } model)
            {
                continue;
            }

            var s = model.Statistics;
            w.WriteStartObject();
            w.WriteString("name"u8, model.Name);
            w.WriteString("version"u8, model.VersionText);
            w.WriteNumber("last_inference"u8, s.LastInferenceUnixMs);
            w.WriteNumber("inference_count"u8, s.InferenceCount);
            w.WriteNumber("execution_count"u8, s.ExecutionCount);
            w.WriteStartObject("inference_stats"u8);
            Stage(w, "success"u8, s.Success);
            Stage(w, "fail"u8, s.Fail);
            Stage(w, "queue"u8, s.Queue);
            Stage(w, "compute_input"u8, s.ComputeInput);
            Stage(w, "compute_infer"u8, s.ComputeInfer);
            Stage(w, "compute_output"u8, s.ComputeOutput);
            Stage(w, "host_overhead"u8, s.HostOverhead);
            w.WriteEndObject();
            w.WriteStartArray("batch_stats"u8);
            foreach (var (size, batch) in s.Batches)
            {
                w.WriteStartObject();
                w.WriteNumber("batch_size"u8, size);
                Batch(w, "compute_input"u8, batch.Count, batch.InputNanoseconds);
                Batch(w, "compute_infer"u8, batch.Count, batch.InferNanoseconds);
                Batch(w, "compute_output"u8, batch.Count, batch.OutputNanoseconds);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            var instances = model.Instances;
            w.WriteStartObject("instances"u8);
            w.WriteNumber("count"u8, instances.Count);
            w.WriteNumber("busy"u8, instances.Busy);
            w.WriteNumber("waiting"u8, instances.Waiting);
            w.WriteNumber("batch_queue"u8, model.Scheduler.Queued);
            w.WriteEndObject();
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void Batch(Utf8JsonWriter w, ReadOnlySpan<byte> name, long count, long nanoseconds)
    {
        w.WriteStartObject(name);
        w.WriteNumber("count"u8, count);
        w.WriteNumber("ns"u8, nanoseconds);
        w.WriteEndObject();
    }

    private static void Stage(Utf8JsonWriter w, ReadOnlySpan<byte> name, StageStatistics stage)
    {
        w.WriteStartObject(name);
        w.WriteNumber("count"u8, stage.Count);
        w.WriteNumber("ns"u8, stage.TotalNanoseconds);
        w.WriteNumber("p50_ns"u8, stage.Histogram.Percentile(0.50));
        w.WriteNumber("p99_ns"u8, stage.Histogram.Percentile(0.99));
        w.WriteEndObject();
    }
}
