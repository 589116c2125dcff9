using System.Buffers;
using System.Runtime.InteropServices;
using Inference.Onnx.Binding;
using Inference.Onnx.Binding.Handles;
using Inference.Onnx.Tensors;

namespace Inference.Onnx.Runtime;

/// <summary>
/// A tensor known to ORT. Either it wraps caller memory (zero copy: ORT reads and writes the caller's
/// buffer in place), or ORT allocated it (outputs whose shape is only known after Run, string tensors).
/// </summary>
/// <remarks>
/// Ownership: when the tensor wraps caller memory, the memory must stay pinned and alive until the
/// OrtValue is released. The optional <c>owner</c> passed at creation (a pin, a pooled buffer) is
/// disposed right after the native value is released, which keeps that order.
/// </remarks>
public sealed unsafe class OrtValue : IDisposable
{
    private IDisposable? owner;

    private OrtValue(OrtValueHandle handle, IDisposable? owner)
    {
        Handle = handle;
        this.owner = owner;
    }

    internal OrtValueHandle Handle { get; }

    /// <summary>Wraps <paramref name="byteLength"/> bytes at <paramref name="data"/> (pinned by the caller).</summary>
    public static OrtValue CreateTensor(TensorElementType type, ReadOnlySpan<long> shape, void* data, long byteLength, IDisposable? owner = null)
    {
        if (!type.IsFixedSize())
        {
            throw new ArgumentException($"{type} tensors cannot wrap caller memory; use CreateStringTensor.", nameof(type));
        }

        var handle = new OrtValueHandle();
        fixed (long* dims = shape)
        {
            nint value;
            OrtStatus.Check(OrtLibrary.Api.CreateTensorWithDataAsOrtValue(
                OrtMemoryInfo.Cpu.Handle.Pointer, data, (nuint)byteLength, dims, (nuint)shape.Length, (int)type, &value));
            handle.Attach(value);
        }

        return new OrtValue(handle, owner);
    }

    /// <summary>Wraps <paramref name="memory"/> in place; the memory is pinned for the value's life.</summary>
    public static OrtValue CreateTensor<T>(TensorElementType type, ReadOnlySpan<long> shape, Memory<T> memory)
        where T : unmanaged
    {
        var pin = memory.Pin();
        try
        {
            return CreateTensor(type, shape, pin.Pointer, (long)memory.Length * sizeof(T), new PinOwner(pin));
        }
        catch
        {
            pin.Dispose();
            throw;
        }
    }

    /// <summary>A tensor ORT allocates (with its default CPU allocator) and owns.</summary>
    public static OrtValue AllocateTensor(TensorElementType type, ReadOnlySpan<long> shape)
    {
        var handle = new OrtValueHandle();
        fixed (long* dims = shape)
        {
            nint value;
            OrtStatus.Check(OrtLibrary.Api.CreateTensorAsOrtValue(OrtAllocator.Default, dims, (nuint)shape.Length, (int)type, &value));
            handle.Attach(value);
        }

        return new OrtValue(handle, null);
    }

    /// <summary>
    /// A string tensor holding exactly these bytes per element (NULs included: the elements are
    /// written with GetResizedStringTensorElementBuffer, not FillStringTensor, which stops at NUL).
    /// </summary>
    public static OrtValue CreateStringTensor(ReadOnlySpan<long> shape, IReadOnlyList<ReadOnlyMemory<byte>> elements)
    {
        var value = AllocateTensor(TensorElementType.String, shape);
        try
        {
            var count = value.ElementCount;
            if (count != elements.Count)
            {
                throw new ArgumentException($"shape holds {count} elements but {elements.Count} strings were given", nameof(elements));
            }

            for (var i = 0; i < elements.Count; i++)
            {
                var bytes = elements[i].Span;
                byte* buffer;
                OrtStatus.Check(OrtLibrary.Api.GetResizedStringTensorElementBuffer(value.Handle.Pointer, (nuint)i, (nuint)bytes.Length, &buffer));
                bytes.CopyTo(new Span<byte>(buffer, bytes.Length));
            }

            return value;
        }
        catch
        {
            value.Dispose();
            throw;
        }
    }

    /// <summary>Wraps a value ORT returned; the caller gives up ownership of <paramref name="pointer"/>.</summary>
    internal static OrtValue FromOwnedPointer(nint pointer)
    {
        var handle = new OrtValueHandle();
        handle.Attach(pointer);
        return new OrtValue(handle, null);
    }

    public bool IsTensor
    {
        get
        {
            int isTensor;
            OrtStatus.Check(OrtLibrary.Api.IsTensor(Handle.Pointer, &isTensor));
            return isTensor != 0;
        }
    }

    public TensorElementType ElementType
    {
        get
        {
            using var info = TypeAndShape();
            int type;
            OrtStatus.Check(OrtLibrary.Api.GetTensorElementType(info.Pointer, &type));
            return (TensorElementType)type;
        }
    }

    public long ElementCount
    {
        get
        {
            using var info = TypeAndShape();
            nuint count;
            OrtStatus.Check(OrtLibrary.Api.GetTensorShapeElementCount(info.Pointer, &count));
            return (long)count;
        }
    }

    public long[] Shape
    {
        get
        {
            using var info = TypeAndShape();
            return TensorShapeReader.ReadDimensions(info);
        }
    }

    /// <summary>Reads element type and shape in one native call (for the encoders).</summary>
    public TensorElementType GetTypeAndShape(out long[] shape)
    {
        // Called once per output of every response: the info is released here rather than wrapped in
        // a SafeHandle, which would be a finalizable object per call for a pointer that never escapes.
        nint info;
        OrtStatus.Check(OrtLibrary.Api.GetTensorTypeAndShape(Handle.Pointer, &info));
        try
        {
            int type;
            OrtStatus.Check(OrtLibrary.Api.GetTensorElementType(info, &type));
            shape = TensorShapeReader.ReadDimensions(info);
            return (TensorElementType)type;
        }
        finally
        {
            OrtLibrary.Api.ReleaseTensorTypeAndShapeInfo(info);
            GC.KeepAlive(this);
        }
    }

    /// <summary>
    /// Where the tensor's data lives, by ORT's memory name: "Cpu", "CudaPinned" (host memory a GPU
    /// copies to and from directly) or "Cuda" (device memory, which the host cannot read).
    /// </summary>
    public string MemoryName
    {
        get
        {
            // Both the memory info and its name are borrowed from the value: neither is released here.
            nint info;
            OrtStatus.Check(OrtLibrary.Api.GetTensorMemoryInfo(Handle.Pointer, &info));
            byte* name;
            OrtStatus.Check(OrtLibrary.Api.MemoryInfoGetName(info, &name));
            var text = Marshal.PtrToStringUTF8((nint)name) ?? "";
            GC.KeepAlive(this);
            return text;
        }
    }

    /// <summary>Start of the tensor's data in memory (CPU tensors only).</summary>
    public void* DataPointer
    {
        get
        {
            void* data;
            OrtStatus.Check(OrtLibrary.Api.GetTensorMutableData(Handle.Pointer, &data));
            return data;
        }
    }

    /// <summary>Size of the data of a fixed-size tensor, in bytes.</summary>
    public long SizeInBytes
    {
        get
        {
            nuint size;
            OrtStatus.Check(OrtLibrary.Api.GetTensorSizeInBytes(Handle.Pointer, &size));
            return (long)size;
        }
    }

    /// <summary>The tensor's bytes in place (no copy); valid while this value lives.</summary>
    public Span<byte> GetBytes() => new(DataPointer, checked((int)SizeInBytes));

    /// <summary>The tensor's elements in place (no copy); valid while this value lives.</summary>
    public Span<T> GetData<T>()
        where T : unmanaged => MemoryMarshal.Cast<byte, T>(GetBytes());

    /// <summary>All elements of a string tensor: one buffer and the start offset of each element.</summary>
    public StringTensorContent GetStringContent()
    {
        var count = checked((int)ElementCount);
        nuint length;
        OrtStatus.Check(OrtLibrary.Api.GetStringTensorDataLength(Handle.Pointer, &length));
        var data = new byte[(int)length];
        var offsets = new nuint[count];
        fixed (byte* dataPointer = data)
        fixed (nuint* offsetPointer = offsets)
        {
            OrtStatus.Check(OrtLibrary.Api.GetStringTensorContent(Handle.Pointer, dataPointer, length, offsetPointer, (nuint)count));
        }

        return new StringTensorContent(data, offsets);
    }

    public void Dispose()
    {
        Handle.Dispose();
        Interlocked.Exchange(ref owner, null)?.Dispose();
    }

    private OrtTensorTypeAndShapeInfoHandle TypeAndShape()
    {
        var handle = new OrtTensorTypeAndShapeInfoHandle();
        nint info;
        OrtStatus.Check(OrtLibrary.Api.GetTensorTypeAndShape(Handle.Pointer, &info));
        handle.Attach(info);
        return handle;
    }

    private sealed class PinOwner(MemoryHandle pin) : IDisposable
    {
        private MemoryHandle pin = pin;

        public void Dispose() => pin.Dispose();
    }
}
