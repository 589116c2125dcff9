namespace Inference.Packaging.Manifest;

/// <summary>Kinds of request and response data segments.</summary>
public enum SegmentType
{
    Text,
    Audio,
    Image,
    Video,
    Tensor,
}
