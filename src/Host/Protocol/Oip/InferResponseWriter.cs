using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Inference.Onnx.Tensors;

namespace Inference.Host.Protocol.Oip;

/// <summary>
/// Encodes an infer response: the JSON header (with each output's data, or its binary_data_size),
/// then the binary section straight from ORT's output memory. Non-finite floats are written as the
/// strings "NaN", "Infinity", "-Infinity" (JSON has no literal for them). BYTES outputs that are not
/// valid UTF-8 are written with replacement characters in JSON; ask for binary to get exact bytes.
/// </summary>
public static class InferResponseWriter
{
    private static readonly JsonWriterOptions WriterOptions = new() { SkipValidation = true, Indented = false, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    // One writer per thread, pointed at each destination in turn: writing a header is synchronous, so
    // no two headers share it, and a Utf8JsonWriter per response was most of the encoder's garbage.
    [ThreadStatic]
    private static Utf8JsonWriter? threadWriter;

    public static void WriteHeader(IBufferWriter<byte> destination, string modelName, string modelVersion, string? id, IReadOnlyList<OutputTensor> outputs)
    {
        var writer = threadWriter;
        if (writer is null)
        {
            writer = new Utf8JsonWriter(destination, WriterOptions);
            threadWriter = writer;
        }
        else
        {
            writer.Reset(destination);
        }

        try
        {
            WriteHeader(writer, modelName, modelVersion, id, outputs);
            writer.Flush();
        }
        finally
        {
            // Let go of the destination (a response buffer may be large) until the next header.
            writer.Reset(NullBufferWriter.Instance);
        }
    }

    private static void WriteHeader(Utf8JsonWriter writer, string modelName, string modelVersion, string? id, IReadOnlyList<OutputTensor> outputs)
    {
        writer.WriteStartObject();
        writer.WriteString("model_name"u8, modelName);
        writer.WriteString("model_version"u8, modelVersion);
        if (id is not null)
        {
            writer.WriteString("id"u8, id);
        }

        writer.WriteStartArray("outputs"u8);
        for (var o = 0; o < outputs.Count; o++)
        {
            var output = outputs[o];
            writer.WriteStartObject();
            writer.WriteString("name"u8, output.Name);
            writer.WriteString("datatype"u8, OipDataType.ToName(output.ElementType));
            writer.WriteStartArray("shape"u8);
            foreach (var d in output.Shape)
            {
                writer.WriteNumberValue(d);
            }

            writer.WriteEndArray();
            if (output.Binary)
            {
                writer.WriteStartObject("parameters"u8);
                writer.WriteNumber("binary_data_size"u8, output.BinarySize);
                writer.WriteEndObject();
            }
            else
            {
                writer.WritePropertyName("data"u8);
                WriteData(writer, output);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>Writes a binary output's bytes; BYTES elements get their 4-byte length prefixes.</summary>
    public static void WriteBinary(IBufferWriter<byte> destination, OutputTensor output)
    {
        if (output.Strings is { } strings)
        {
            for (var i = 0; i < strings.Count; i++)
            {
                var element = strings[i];
                var span = destination.GetSpan(4);
                BinaryPrimitives.WriteUInt32LittleEndian(span, (uint)element.Length);
                destination.Advance(4);
                destination.Write(element);
            }

            return;
        }

        destination.Write(output.Value.GetBytes());
    }

    /// <summary>Writes one output's elements as a JSON array (the <c>data</c> of OIP; the engine API uses it too).</summary>
    public static void WriteData(Utf8JsonWriter writer, OutputTensor output)
    {
        writer.WriteStartArray();
        if (output.Strings is { } strings)
        {
            for (var i = 0; i < strings.Count; i++)
            {
                var element = strings[i];
                if (System.Text.Unicode.Utf8.IsValid(element))
                {
                    writer.WriteStringValue(element);
                }
                else
                {
                    writer.WriteStringValue(Encoding.UTF8.GetString(element));
                }
            }

            writer.WriteEndArray();
            return;
        }

        var bytes = output.Value.GetBytes();
        switch (output.ElementType)
        {
            case TensorElementType.Float:
                foreach (var v in MemoryMarshal.Cast<byte, float>(bytes))
                {
                    WriteFloat(writer, v);
                }

                break;
            case TensorElementType.Double:
                foreach (var v in MemoryMarshal.Cast<byte, double>(bytes))
                {
                    WriteFloat(writer, v);
                }

                break;
            case TensorElementType.Float16:
                foreach (var v in MemoryMarshal.Cast<byte, Half>(bytes))
                {
                    WriteFloat(writer, (float)v);
                }

                break;
            case TensorElementType.BFloat16:
                foreach (var v in MemoryMarshal.Cast<byte, ushort>(bytes))
                {
                    WriteFloat(writer, BFloat16Bits.ToSingle(v));
                }

                break;
            case TensorElementType.Int64:
                foreach (var v in MemoryMarshal.Cast<byte, long>(bytes))
                {
                    writer.WriteNumberValue(v);
                }

                break;
            case TensorElementType.Int32:
                foreach (var v in MemoryMarshal.Cast<byte, int>(bytes))
                {
                    writer.WriteNumberValue(v);
                }

                break;
            case TensorElementType.Int16:
                foreach (var v in MemoryMarshal.Cast<byte, short>(bytes))
                {
                    writer.WriteNumberValue(v);
                }

                break;
            case TensorElementType.Int8:
                foreach (var v in MemoryMarshal.Cast<byte, sbyte>(bytes))
                {
                    writer.WriteNumberValue(v);
                }

                break;
            case TensorElementType.UInt64:
                foreach (var v in MemoryMarshal.Cast<byte, ulong>(bytes))
                {
                    writer.WriteNumberValue(v);
                }

                break;
            case TensorElementType.UInt32:
                foreach (var v in MemoryMarshal.Cast<byte, uint>(bytes))
                {
                    writer.WriteNumberValue(v);
                }

                break;
            case TensorElementType.UInt16:
                foreach (var v in MemoryMarshal.Cast<byte, ushort>(bytes))
                {
                    writer.WriteNumberValue(v);
                }

                break;
            case TensorElementType.UInt8:
                foreach (var v in bytes)
                {
                    writer.WriteNumberValue(v);
                }

                break;
            case TensorElementType.Bool:
                foreach (var v in bytes)
                {
                    writer.WriteBooleanValue(v != 0);
                }

                break;
            default:
                throw new NotSupportedException($"output '{output.Name}' has element type {output.ElementType}, which the protocol cannot carry");
        }

        writer.WriteEndArray();
    }

    private static void WriteFloat(Utf8JsonWriter writer, double value)
    {
        if (double.IsFinite(value))
        {
            writer.WriteNumberValue(value);
        }
        else
        {
            writer.WriteStringValue(double.IsNaN(value) ? "NaN"u8 : value > 0 ? "Infinity"u8 : "-Infinity"u8);
        }
    }

    private static void WriteFloat(Utf8JsonWriter writer, float value)
    {
        if (float.IsFinite(value))
        {
            writer.WriteNumberValue(value);
        }
        else
        {
            writer.WriteStringValue(float.IsNaN(value) ? "NaN"u8 : value > 0 ? "Infinity"u8 : "-Infinity"u8);
        }
    }
}
