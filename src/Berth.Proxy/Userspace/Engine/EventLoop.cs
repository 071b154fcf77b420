using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using Berth.Proxy.Native;
using Microsoft.Extensions.Logging;

namespace Berth.Proxy.Userspace.Engine;

/// <summary>
/// One thread waiting in <c>epoll_wait</c> and running the proxied TCP connections whose descriptors it owns: reads,
/// writes, connects and their timeouts happen right where readiness is reported, with no hop to the thread pool and no
/// allocation per read — the shape of HAProxy's or nginx's worker threads. Descriptors created on a loop (accepted
/// clients, endpoint connections) are only ever touched by that loop; listeners are shared by every loop
/// (<c>EPOLLEXCLUSIVE</c>: one loop is woken per incoming connection). Other threads talk to a loop through
/// <see cref="Post"/>.
/// </summary>
internal sealed unsafe partial class EventLoop : IDisposable
{
    private const int MaxEvents = 256;
    private const int WakeSlot = 0;
    private const int MaxIdleConnections = 1024;

    private readonly int _epoll;
    private readonly int _wake;
    private readonly Thread _thread;
    private readonly ConcurrentQueue<Action<EventLoop>> _posted = new();
    private readonly Stack<int> _freeSlots = new();
    private readonly List<int> _releasedSlots = [];
    private readonly PriorityQueue<(TcpConnection Connection, int Serial, int Attempt), long> _timers = new();
    private readonly Stack<TcpConnection> _idleConnections = new();
    private readonly Queue<TcpConnection> _deferred = new();
    private readonly HashSet<TcpConnection> _connections = [];
    private IEventHandler?[] _slots = new IEventHandler?[256];
    private int _nextSlot = 1;
    private volatile bool _stopping;

    public EventLoop(UserspaceContext context, int index)
    {
        Context = context;
        Index = index;
        _epoll = Sys.EpollCreate(Sys.EPOLL_CLOEXEC);
        _wake = Sys.EventFd(0, Sys.EFD_NONBLOCK | Sys.EFD_CLOEXEC);
        if (_epoll < 0 || _wake < 0)
        {
            throw new InvalidOperationException($"epoll_create1/eventfd failed (errno {Sys.Errno})");
        }

        AddToEpoll(_wake, Sys.EPOLLIN, WakeSlot);
        _thread = new Thread(Run) { IsBackground = true, Name = "berth-proxy-" + index };
        _thread.Start();
    }

    public UserspaceContext Context { get; }

    /// <summary>This loop's place in <see cref="UserspaceContext.Loops"/>.</summary>
    public int Index { get; }

    /// <summary>Buffers of this loop's connections (loop thread only).</summary>
    public NativeBuffers Buffers { get; } = new(TcpConnection.BufferSize, keep: 256);

    /// <summary>Connections open on this loop (loop thread only).</summary>
    public int ConnectionCount => _connections.Count;

    /// <summary>Runs <paramref name="action"/> on the loop's thread soon. Thread-safe.</summary>
    public void Post(Action<EventLoop> action)
    {
        _posted.Enqueue(action);
        long one = 1;
        Sys.Write(_wake, (byte*)&one, sizeof(long));
    }

    /// <summary>Watches <paramref name="fd"/> for <paramref name="events"/> on behalf of <paramref name="handler"/>; the slot, or -1.</summary>
    public int Register(int fd, uint events, IEventHandler handler)
    {
        var slot = _freeSlots.Count > 0 ? _freeSlots.Pop() : _nextSlot++;
        if (slot >= _slots.Length)
        {
            Array.Resize(ref _slots, _slots.Length * 2);
        }

        if (!AddToEpoll(fd, events, slot))
        {
            _freeSlots.Push(slot);
            return -1;
        }

        _slots[slot] = handler;
        return slot;
    }

    /// <summary>
    /// Forgets a slot. Its descriptor must be closed (which leaves the epoll set) or removed by the caller; the slot is
    /// reused only after the current batch of events, so a late event of this batch never reaches a new owner.
    /// </summary>
    public void Release(int slot)
    {
        if (slot > 0)
        {
            _slots[slot] = null;
            _releasedSlots.Add(slot);
        }
    }

    /// <summary>Changes which <paramref name="events"/> <paramref name="fd"/> (registered as <paramref name="slot"/>) is watched for.</summary>
    public void Modify(int fd, uint events, int slot)
    {
        var e = stackalloc byte[16];
        *(uint*)e = events;
        *(ulong*)(e + Sys.EpollDataOffset) = (ulong)slot;
        Sys.EpollCtl(_epoll, Sys.EPOLL_CTL_MOD, fd, e);
    }

    /// <summary>Stops watching <paramref name="fd"/> (still open) and releases its slot.</summary>
    public void Unregister(int fd, int slot)
    {
        Sys.EpollCtl(_epoll, Sys.EPOLL_CTL_DEL, fd, null);
        Release(slot);
    }

    /// <summary>Calls the connection's <see cref="TcpConnection.OnTimer"/> at <paramref name="deadline"/> (a timestamp); it ignores a timer of an earlier use or attempt.</summary>
    public void AddTimer(TcpConnection connection, int serial, int attempt, long deadline) => _timers.Enqueue((connection, serial, attempt), deadline);

    /// <summary>A connection object to use for a new connection (closed ones are kept for this; loop thread only).</summary>
    public TcpConnection RentConnection() => _idleConnections.TryPop(out var connection) ? connection : new TcpConnection(this);

    /// <summary>Keeps a closed connection object for the next connection (up to a bound).</summary>
    public void ReturnConnection(TcpConnection connection)
    {
        if (_idleConnections.Count < MaxIdleConnections)
        {
            _idleConnections.Push(connection);
        }
    }

    /// <summary>Continues a connection after this batch of events (it used up its share of one turn).</summary>
    public void Defer(TcpConnection connection) => _deferred.Enqueue(connection);

    public void Opened(TcpConnection connection) => _connections.Add(connection);

    public void Closed(TcpConnection connection) => _connections.Remove(connection);

    /// <summary>Resets every connection, stops the thread and waits for it.</summary>
    public void Dispose()
    {
        _stopping = true;
        Post(_ => { });
        _thread.Join();
        Buffers.Dispose();
        Sys.Close(_wake);
        Sys.Close(_epoll);
    }

    private bool AddToEpoll(int fd, uint events, int slot)
    {
        var e = stackalloc byte[16];
        *(uint*)e = events;
        *(ulong*)(e + Sys.EpollDataOffset) = (ulong)slot;
        return Sys.EpollCtl(_epoll, Sys.EPOLL_CTL_ADD, fd, e) == 0;
    }

    private void Run()
    {
        var events = (byte*)NativeMemory.Alloc((nuint)(MaxEvents * Sys.EpollEventSize));
        try
        {
            while (!_stopping)
            {
                var n = Sys.EpollWait(_epoll, events, MaxEvents, WaitMilliseconds());
                if (n < 0 && Sys.Errno != Sys.EINTR)
                {
                    Log.WaitFailed(Context.Logger, Sys.Errno);
                    Thread.Sleep(10);
                    continue;
                }

                for (var i = 0; i < n; i++)
                {
                    var e = events + (i * Sys.EpollEventSize);
                    var slot = (int)*(ulong*)(e + Sys.EpollDataOffset);
                    if (slot == WakeSlot)
                    {
                        long count;
                        Sys.Read(_wake, (byte*)&count, sizeof(long));
                        continue;
                    }

                    if (_slots[slot] is { } handler)
                    {
                        Dispatch(handler, slot, *(uint*)e);
                    }
                }

                RunDeferred();
                RunPosted();
                RunTimers();
                foreach (var slot in _releasedSlots)
                {
                    _freeSlots.Push(slot);
                }

                _releasedSlots.Clear();
            }

            foreach (var connection in _connections.ToList())
            {
                connection.Abort();
            }
        }
        finally
        {
            NativeMemory.Free(events);
        }
    }

    private void Dispatch(IEventHandler handler, int slot, uint events)
    {
        try
        {
            handler.OnEvents(this, slot, events);
        }
        catch (Exception e)
        {
            // A bug must not take every other connection of the loop down with it.
            Log.HandlerFailed(Context.Logger, e);
            (handler as TcpConnection)?.Abort();
        }
    }

    private void RunDeferred()
    {
        for (var n = _deferred.Count; n > 0 && _deferred.TryDequeue(out var connection); n--)
        {
            Dispatch(connection, 0, 0);
        }
    }

    private void RunPosted()
    {
        while (_posted.TryDequeue(out var action))
        {
            try
            {
                action(this);
            }
            catch (Exception e)
            {
                Log.HandlerFailed(Context.Logger, e);
            }
        }
    }

    private void RunTimers()
    {
        if (_timers.Count == 0)
        {
            return;
        }

        var now = Context.Now();
        while (_timers.TryPeek(out var timer, out var due) && due <= now)
        {
            _timers.Dequeue();
            timer.Connection.OnTimer(timer.Serial, timer.Attempt);
        }
    }

    /// <summary>Until the next timer (rounded up to a millisecond), work deferred to the next turn, or forever.</summary>
    private int WaitMilliseconds()
    {
        if (_deferred.Count > 0 || !_posted.IsEmpty)
        {
            return 0;
        }

        if (!_timers.TryPeek(out _, out var due))
        {
            return -1;
        }

        var ticks = due - Context.Now();
        return ticks <= 0 ? 0 : (int)Math.Min(int.MaxValue, (ticks * 1000 / Context.Time.TimestampFrequency) + 1);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 5050, Level = LogLevel.Error, Message = "epoll_wait failed (errno {Errno})")]
        public static partial void WaitFailed(ILogger logger, int errno);

        [LoggerMessage(EventId = 5051, Level = LogLevel.Error, Message = "A proxied connection failed unexpectedly; it was reset")]
        public static partial void HandlerFailed(ILogger logger, Exception exception);
    }
}
