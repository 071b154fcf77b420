using System.Net.Sockets;
using Berth.Proxy.Model;
using Berth.Proxy.Native;
using Microsoft.Extensions.Logging;

namespace Berth.Proxy.Userspace;

/// <summary>
/// A TCP listener on one entry point. Forward: accepted connections go to <see cref="TcpRelay"/>. Drop: a socket filter
/// makes the kernel drop the SYNs, so clients time out (§5.7). Reject has no listener at all: the kernel answers RST.
/// </summary>
internal sealed partial class TcpFrontend : IFrontend
{
    private readonly Socket _listener;
    private readonly UserspaceContext _context;
    private bool _dropping;
    private volatile bool _closed;

    public TcpFrontend(EntryPoint entry, ServicePortRuntime owner, Socket listener, UserspaceContext context)
    {
        Entry = entry;
        Owner = owner;
        _listener = listener;
        _context = context;
    }

    public EntryPoint Entry { get; }

    public ServicePortRuntime Owner { get; }

    public UserspaceContext Context => _context;

    public void Start() => _ = AcceptLoopAsync();

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

    public void Dispose()
    {
        _closed = true;
        _listener.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_closed)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync(CancellationToken.None).ConfigureAwait(false);
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e) when (_closed || e.SocketErrorCode == SocketError.OperationAborted)
            {
                return;
            }
            catch (SocketException e)
            {
                // EMFILE/ENFILE/ENOBUFS: the connection waits in the backlog; try again a moment later.
                Log.AcceptFailed(_context.Logger, e, Entry.ToString(), e.SocketErrorCode);
                await Task.Delay(TimeSpan.FromMilliseconds(100), _context.Time).ConfigureAwait(false);
                continue;
            }

            TcpRelay.Start(client, this);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 5030, Level = LogLevel.Warning, Message = "Accept on {EntryPoint} failed ({Error}); retrying")]
        public static partial void AcceptFailed(ILogger logger, Exception exception, string entryPoint, SocketError error);
    }
}
