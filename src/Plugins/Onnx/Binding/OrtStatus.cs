using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Inference.Onnx.Binding;

/// <summary>The one place an <c>OrtStatus*</c> becomes an exception.</summary>
internal static unsafe class OrtStatus
{
    /// <summary>Throws when <paramref name="status"/> is non-null; releases it either way.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Check(nint status)
    {
        if (status != 0)
        {
            Throw(status);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Throw(nint status)
    {
        var api = OrtLibrary.Api;
        var code = (OrtErrorCode)api.GetErrorCode(status);
        var message = Marshal.PtrToStringUTF8((nint)api.GetErrorMessage(status)) ?? "(no message)";
        api.ReleaseStatus(status);
        throw new OrtException(code, message);
    }
}
