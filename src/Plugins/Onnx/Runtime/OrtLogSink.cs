using Inference.Onnx.Binding;

namespace Inference.Onnx.Runtime;

/// <summary>Receives ORT's own log lines (severity, category, message).</summary>
public delegate void OrtLogSink(OrtLoggingLevel severity, string category, string message);
