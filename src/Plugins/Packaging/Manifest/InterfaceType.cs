namespace Inference.Packaging.Manifest;

/// <summary>The ASE interface types: one-shot over HTTP/1.1, or streaming over WebSocket.</summary>
public enum InterfaceType
{
    OneShot,
    Streaming,
}
