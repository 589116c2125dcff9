using Inference.Onnx.Binding;

namespace Inference.Onnx.Runtime;

/// <summary>ORT's default CPU allocator. It is owned by ORT and never released.</summary>
internal static unsafe class OrtAllocator
{
    private static nint defaultAllocator;

    public static nint Default
    {
        get
        {
            if (defaultAllocator == 0)
            {
                nint allocator;
                OrtStatus.Check(OrtLibrary.Api.GetAllocatorWithDefaultOptions(&allocator));
                defaultAllocator = allocator;
            }

            return defaultAllocator;
        }
    }
}
