using System.Runtime.InteropServices;

namespace Berth.Proxy.Userspace.Engine;

/// <summary>
/// Fixed-size unmanaged buffers for one event loop (no pinning, no GC): a connection direction holds one only while
/// bytes are in flight and gives it back when the source has nothing more for now. Loop thread only.
/// </summary>
internal sealed unsafe class NativeBuffers(int size, int keep) : IDisposable
{
    private readonly Stack<nint> _idle = new();

    public int Size => size;

    public byte* Rent() => _idle.Count > 0 ? (byte*)_idle.Pop() : (byte*)NativeMemory.Alloc((nuint)size);

    public void Return(byte* buffer)
    {
        if (_idle.Count < keep)
        {
            _idle.Push((nint)buffer);
        }
        else
        {
            NativeMemory.Free(buffer);
        }
    }

    public void Dispose()
    {
        while (_idle.Count > 0)
        {
            NativeMemory.Free((void*)_idle.Pop());
        }
    }
}
