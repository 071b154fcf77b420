using System.Net.Sockets;
using Berth.Proxy.Model;
using Berth.Proxy.Native;
using Berth.Proxy.Userspace.Engine;
using Microsoft.Extensions.Logging;

namespace Berth.Proxy.Userspace;

/// <summary>
/// A TCP listener on one entry point, watched by every <see cref="EventLoop"/> (<c>EPOLLEXCLUSIVE</c>: one loop is
/// woken per connection and runs it). Forward: accepted connections become <see cref="TcpConnection"/>s. Drop: a socket
/// filter makes the kernel drop the SYNs, so clients time out (§5.7). Reject has no listener: the kernel answers RST.
/// </summary>
internal sealed unsafe partial class TcpFrontend : IFrontend, IEventHandler
{
    /// <summary>Connections accepted per wake-up before other work of the loop gets a turn (level-triggered: the rest wakes it again).</summary>
    private const int AcceptsPerTurn = 64;

    private const uint ListenerEvents = Sys.EPOLLIN | Sys.EPOLLEXCLUSIVE;

    private readonly Socket _listener;
    private readonly UserspaceContext _context;
    private readonly int[] _slots;
    private bool _dropping;
    private volatile bool _closed;

    public TcpFrontend(EntryPoint entry, ServicePortRuntime owner, Socket listener, UserspaceContext context)
    {
        Entry = entry;
        Owner = owner;
        _listener = listener;
        _context = context;
        _slots = new int[context.Loops.Count];
    }

    public EntryPoint Entry { get; }

    public ServicePortRuntime Owner { get; }

    public void Start()
    {
        // accept4 runs on the loops: the listener must never block them.
        _listener.Blocking = false;
        foreach (var loop in _context.Loops)
        {
            loop.Post(Watch);
        }
    }

    public void Apply(Verdict verdict)
    {
        var drop = verdict == Verdict.Drop;
        if (drop == _dropping)
        {
            return;
        }

        if (drop)
        {
            SocketFilters.AttachDropAll(_listener);
        }
        else
        {
            SocketFilters.Detach(_listener);
        }

        _dropping = drop;
    }

    /// <summary>Closes the listener at once (its address can be bound again right away); the loops then forget it.</summary>
    public void Dispose()
    {
        _closed = true;
        _listener.Dispose();
        foreach (var loop in _context.Loops)
        {
            loop.Post(l => l.Release(_slots[l.Index]));
        }
    }

    public void OnEvents(EventLoop loop, int slot, uint events) => WithDescriptor(fd => AcceptAll(loop, fd), 0);

    private void Watch(EventLoop loop) => _slots[loop.Index] = WithDescriptor(fd => loop.Register(fd, ListenerEvents, this), -1);

    /// <summary>Accepts what waits (up to a turn's share); returns how many.</summary>
    private int AcceptAll(EventLoop loop, int listener)
    {
        var address = stackalloc byte[SockAddr.MaxLength];
        for (var i = 0; i < AcceptsPerTurn; i++)
        {
            var length = SockAddr.MaxLength;
            var client = Sys.Accept(listener, address, &length, Sys.SOCK_NONBLOCK | Sys.SOCK_CLOEXEC);
            if (client >= 0)
            {
                TcpConnection.Start(loop, this, client, new ReadOnlySpan<byte>(address, length));
                continue;
            }

            var error = Sys.Errno;
            if (error is Sys.EINTR or Sys.ECONNABORTED)
            {
                continue;
            }

            if (error is Sys.EMFILE or Sys.ENFILE)
            {
                // Out of descriptors: the connection waits in the backlog. Stop watching for a moment, or the
                // level-triggered listener would wake this loop in a busy circle.
                Log.OutOfDescriptors(_context.Logger, Entry.ToString());
                loop.Unregister(listener, _slots[loop.Index]);
                _ = Task.Delay(TimeSpan.FromMilliseconds(100), _context.Time).ContinueWith(_ => loop.Post(Watch), TaskScheduler.Default);
            }

            return i;
        }

        return AcceptsPerTurn;
    }

    /// <summary>
    /// Runs <paramref name="use"/> with the listener's descriptor while holding a reference on it, so a concurrent
    /// <see cref="Dispose"/> cannot close it (and the kernel hand its number to another socket) in between.
    /// </summary>
    private T WithDescriptor<T>(Func<int, T> use, T closed)
    {
        if (_closed)
        {
            return closed;
        }

        var handle = _listener.SafeHandle;
        var added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            return use((int)handle.DangerousGetHandle());
        }
        catch (ObjectDisposedException)
        {
            return closed;
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 5030, Level = LogLevel.Warning, Message = "Out of file descriptors accepting on {EntryPoint}; pausing it for 100 ms")]
        public static partial void OutOfDescriptors(ILogger logger, string entryPoint);
    }
}
