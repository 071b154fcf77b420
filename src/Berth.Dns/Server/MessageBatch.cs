using System.Runtime.InteropServices;

namespace Berth.Dns.Server;

/// <summary>
/// Datagrams received and sent many per system call, as knot does: <c>recvmmsg(2)</c> blocks until at least one query
/// is there and takes up to <see cref="Capacity"/> that are waiting; <c>sendmmsg(2)</c> sends their answers at once.
/// One batch per UDP thread; its buffers live in native memory, so the kernel reads and writes them in place.
/// </summary>
internal sealed unsafe partial class MessageBatch : IDisposable
{
    /// <summary>Queries longer than this are cut by the kernel (MSG_TRUNC) and dropped; EDNS0 queries are far smaller.</summary>
    public const int MaxQuery = 4096;

    private const int MsgWaitForOne = 0x10000;
    private const int MsgTrunc = 0x20;
    private const int SockaddrSize = 128;

    private readonly MMsgHdr* _received;
    private readonly MMsgHdr* _sending;
    private readonly IoVec* _vectors;
    private readonly byte* _addresses;
    private readonly byte* _queries;
    private readonly byte* _responses;
    private readonly int _responseSize;

    public MessageBatch(int capacity, int responseSize)
    {
        Capacity = capacity;
        _responseSize = responseSize;
        _received = (MMsgHdr*)NativeMemory.AllocZeroed((nuint)(capacity * sizeof(MMsgHdr)));
        _sending = (MMsgHdr*)NativeMemory.AllocZeroed((nuint)(capacity * sizeof(MMsgHdr)));
        _vectors = (IoVec*)NativeMemory.AllocZeroed((nuint)(2 * capacity * sizeof(IoVec)));
        _addresses = (byte*)NativeMemory.AllocZeroed((nuint)(capacity * SockaddrSize));
        _queries = (byte*)NativeMemory.Alloc((nuint)(capacity * MaxQuery));
        _responses = (byte*)NativeMemory.Alloc((nuint)(capacity * responseSize));
    }

    public int Capacity { get; }

    /// <summary>Outcome of <see cref="Receive"/> when nothing was received.</summary>
    public enum Failure
    {
        /// <summary>Timed out or interrupted: look at the stop flag and call again.</summary>
        Retry,

        /// <summary>The socket is gone.</summary>
        Closed,
    }

    /// <summary>Waits for queries on <paramref name="fd"/>; returns how many arrived (≥ 1), or −1 with <paramref name="failure"/> set.</summary>
    public int Receive(int fd, out Failure failure)
    {
        for (var i = 0; i < Capacity; i++)
        {
            var vector = &_vectors[i];
            vector->Base = _queries + (i * MaxQuery);
            vector->Length = MaxQuery;
            _received[i] = new MMsgHdr
            {
                Header = new MsgHdr { Name = _addresses + (i * SockaddrSize), NameLength = SockaddrSize, Vectors = vector, VectorCount = 1 },
            };
        }

        var count = RecvMMsg(fd, _received, (uint)Capacity, MsgWaitForOne, null);
        failure = Failure.Retry;
        if (count > 0)
        {
            return count;
        }

        // EAGAIN (SO_RCVTIMEO), EINTR, ECONNREFUSED and friends (ICMP errors of earlier replies): try again.
        failure = count == 0 || Marshal.GetLastPInvokeError() is 9 or 88 ? Failure.Closed : Failure.Retry;
        return -1;
    }

    /// <summary>The query in slot <paramref name="i"/>, or an empty span when the kernel had to cut it.</summary>
    public Span<byte> Query(int i) =>
        (_received[i].Header.Flags & MsgTrunc) != 0 ? default : new Span<byte>(_queries + (i * MaxQuery), (int)_received[i].Length);

    /// <summary>The sender of the query in slot <paramref name="i"/>: a raw <c>sockaddr</c>.</summary>
    public ReadOnlySpan<byte> Sender(int i) => new(_addresses + (i * SockaddrSize), (int)_received[i].Header.NameLength);

    /// <summary>Where the answer to slot <paramref name="i"/> is written.</summary>
    public Span<byte> Response(int i) => new(_responses + (i * _responseSize), _responseSize);

    /// <summary>Queues <paramref name="length"/> bytes of slot <paramref name="i"/>'s response for <see cref="Send"/>, as the <paramref name="queued"/>-th.</summary>
    public void Queue(int queued, int i, int length)
    {
        var vector = &_vectors[Capacity + queued];
        vector->Base = _responses + (i * _responseSize);
        vector->Length = (nuint)length;
        _sending[queued] = new MMsgHdr
        {
            Header = new MsgHdr { Name = _received[i].Header.Name, NameLength = _received[i].Header.NameLength, Vectors = vector, VectorCount = 1 },
        };
    }

    /// <summary>Sends the <paramref name="queued"/> responses; one the kernel refuses (the client's buffer is full, it went away) is dropped, as UDP may.</summary>
    public void Send(int fd, int queued)
    {
        var sent = 0;
        while (sent < queued)
        {
            var count = SendMMsg(fd, _sending + sent, (uint)(queued - sent), 0);
            sent += count > 0 ? count : 1;
        }
    }

    public void Dispose()
    {
        NativeMemory.Free(_received);
        NativeMemory.Free(_sending);
        NativeMemory.Free(_vectors);
        NativeMemory.Free(_addresses);
        NativeMemory.Free(_queries);
        NativeMemory.Free(_responses);
    }

    [LibraryImport("libc", EntryPoint = "recvmmsg", SetLastError = true)]
    private static partial int RecvMMsg(int fd, MMsgHdr* messages, uint count, int flags, void* timeout);

    [LibraryImport("libc", EntryPoint = "sendmmsg", SetLastError = true)]
    private static partial int SendMMsg(int fd, MMsgHdr* messages, uint count, int flags);

    /// <summary><c>struct iovec</c>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct IoVec
    {
        public byte* Base;
        public nuint Length;
    }

    /// <summary><c>struct msghdr</c> (64-bit Linux: 56 bytes).</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct MsgHdr
    {
        public byte* Name;
        public uint NameLength;
        public IoVec* Vectors;
        public nuint VectorCount;
        public void* Control;
        public nuint ControlLength;
        public int Flags;
    }

    /// <summary><c>struct mmsghdr</c>: a header and the bytes received.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct MMsgHdr
    {
        public MsgHdr Header;
        public uint Length;
    }
}
