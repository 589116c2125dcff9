using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;

namespace Inference.Native;

/// <summary>
/// The native lists of one plugin call (ParamList, DataList, their strings), freed together after the
/// call returns. Data bytes are not copied: their managed memory is pinned for the arena's life.
/// The ABI says lists the host passes in are the plugin's to read only during the call.
/// </summary>
internal sealed unsafe class NativeArena : IDisposable
{
    private readonly List<nint> blocks = [];
    private readonly List<MemoryHandle> pins = [];

    public byte* String(string? text)
    {
        if (text is null)
        {
            return null;
        }

        var bytes = Encoding.UTF8.GetByteCount(text);
        var p = (byte*)Allocate(bytes + 1);
        Encoding.UTF8.GetBytes(text, new Span<byte>(p, bytes));
        p[bytes] = 0;
        return p;
    }

    public NativeParam* Params(IReadOnlyDictionary<string, string>? values)
    {
        NativeParam* head = null;
        NativeParam** tail = &head;
        foreach (var (key, value) in values ?? new Dictionary<string, string>())
        {
            var node = (NativeParam*)Allocate(sizeof(NativeParam));
            node->Key = String(key);
            node->Value = String(value);
            node->ValueLength = (uint)Encoding.UTF8.GetByteCount(value);
            node->Next = null;
            *tail = node;
            tail = &node->Next;
        }

        return head;
    }

    public NativeData* Data(IReadOnlyList<WrapperData>? segments)
    {
        NativeData* head = null;
        NativeData** tail = &head;
        foreach (var segment in segments ?? [])
        {
            var node = (NativeData*)Allocate(sizeof(NativeData));
            var pin = segment.Data.Pin();
            pins.Add(pin);
            node->Key = String(segment.Key);
            node->Data = pin.Pointer;
            node->Length = (uint)segment.Data.Length;
            node->Type = segment.Type;
            node->Status = segment.Status;
            node->Desc = Params(segment.Description);
            node->Next = null;
            *tail = node;
            tail = &node->Next;
        }

        return head;
    }

    public uint* Ids(IReadOnlyList<uint>? ids)
    {
        if (ids is null || ids.Count == 0)
        {
            return null;
        }

        var p = (uint*)Allocate(sizeof(uint) * ids.Count);
        for (var i = 0; i < ids.Count; i++)
        {
            p[i] = ids[i];
        }

        return p;
    }

    public void Dispose()
    {
        foreach (var block in blocks)
        {
            NativeMemory.Free((void*)block);
        }

        foreach (var pin in pins)
        {
            pin.Dispose();
        }

        blocks.Clear();
        pins.Clear();
    }

    private void* Allocate(int bytes)
    {
        var p = NativeMemory.AllocZeroed((nuint)Math.Max(bytes, 1));
        blocks.Add((nint)p);
        return p;
    }
}
