using System.Runtime.InteropServices;

namespace Inference.Native;

/// <summary>Copies a plugin's result list into managed memory at once (the plugin owns and may reuse it).</summary>
internal static unsafe class NativeResults
{
    public static List<WrapperData> Copy(NativeData* list)
    {
        var result = new List<WrapperData>();
        for (var node = list; node is not null; node = node->Next)
        {
            var bytes = node->Data is null ? [] : new ReadOnlySpan<byte>(node->Data, (int)node->Length).ToArray();
            Dictionary<string, string>? description = null;
            for (var p = node->Desc; p is not null; p = p->Next)
            {
                description ??= new Dictionary<string, string>(StringComparer.Ordinal);
                description[Text(p->Key)] = p->Value is null ? "" : Marshal.PtrToStringUTF8((nint)p->Value, (int)p->ValueLength);
            }

            result.Add(new WrapperData(Text(node->Key), bytes, node->Type, node->Status, description));
        }

        return result;
    }

    private static string Text(byte* p) => p is null ? "" : Marshal.PtrToStringUTF8((nint)p) ?? "";
}
