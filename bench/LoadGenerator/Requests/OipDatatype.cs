namespace Inference.LoadGenerator.Requests;

/// <summary>The Open Inference Protocol's tensor datatypes, named as on the wire.</summary>
public enum OipDatatype
{
    BOOL,
    UINT8,
    UINT16,
    UINT32,
    UINT64,
    INT8,
    INT16,
    INT32,
    INT64,
    FP16,
    BF16,
    FP32,
    FP64,
    BYTES,
}
