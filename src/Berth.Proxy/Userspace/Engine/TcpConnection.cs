using System.Net;
using Berth.Proxy.Balancing;
using Berth.Proxy.Model;
using Berth.Proxy.Native;
using Berth.Proxy.Observability;
using Microsoft.Extensions.Logging;

namespace Berth.Proxy.Userspace.Engine;

/// <summary>
/// One proxied TCP connection, run by the <see cref="EventLoop"/> that accepted it. The endpoint is chosen (affinity,
/// then policy) and connected before a byte of the client is read; a refused, unreachable or timed-out connect marks
/// that endpoint failed for a moment and the next one is tried, so a pod that died before its EndpointSlice changed
/// costs the client nothing; with none left the client is reset. Then bytes flow both ways (<see cref="Pump"/>), each
/// direction's end (FIN) passed on separately; an error or reset on either side resets both.
/// </summary>
internal sealed unsafe partial class TcpConnection : IEventHandler
{
    /// <summary>Buffer per direction while bytes are in flight (HAProxy's <c>tune.bufsize</c> is 16 KiB too).</summary>
    public const int BufferSize = 16 * 1024;

    /// <summary>Endpoints tried per connection at most (the old userspace kube-proxy tried four times).</summary>
    private const int MaxAttempts = 4;

    /// <summary>
    /// Edge-triggered reads. Writability is asked for only while a send is blocked (<see cref="WaitWritable"/>): TCP
    /// reports write space after every ACK, which would wake the loop once more per response for nothing.
    /// </summary>
    private const uint ReadEvents = Sys.EPOLLIN | Sys.EPOLLRDHUP | Sys.EPOLLET;

    private const uint ReadWriteEvents = ReadEvents | Sys.EPOLLOUT;

    private static readonly string[] _policyNames = ["round-robin", "random", "least-connections"];

    private readonly EventLoop _loop;
    private readonly UserspaceContext _context;
    private readonly Direction _up = new() { Upstream = true };
    private readonly Direction _down = new();
    private TcpFrontend _frontend = null!;
    private int _client;
    private UInt128 _clientKey;
    private int _clientPort;
    private DateTimeOffset _accepted;
    private int _serial;
    private int _clientSlot;
    private int _backend = -1;
    private int _backendSlot;
    private bool _clientWritable = true;
    private bool _backendWritable = true;
    private RoutingTable _table = RoutingTable.Rejecting;
    private BackendEndpoint? _endpoint;
    private BackendEndpoint[]? _tried;
    private int _attempts;
    private string? _failures;
    private Decision _decision;
    private State _state;

    /// <summary>A connection object of <paramref name="loop"/>; it is used again for later connections (nothing is allocated per connection).</summary>
    public TcpConnection(EventLoop loop)
    {
        _loop = loop;
        _context = loop.Context;
        _state = State.Closed;
    }

    private enum State
    {
        Connecting,
        Relaying,
        Closed,
    }

    /// <summary>Takes an accepted client (its non-blocking descriptor and address) and starts connecting an endpoint.</summary>
    public static void Start(EventLoop loop, TcpFrontend frontend, int client, ReadOnlySpan<byte> address)
    {
        var connection = loop.RentConnection();
        connection.Reset(frontend, client, address);
        loop.Opened(connection);
        connection._context.ConnectionOpened();
        connection.Begin();
    }

    public void OnEvents(EventLoop loop, int slot, uint events)
    {
        switch (_state)
        {
            case State.Connecting when slot == _backendSlot && _backend >= 0:
                var error = Sys.PendingError(_backend);
                if (error != 0)
                {
                    ConnectFailed(error);
                }
                else if ((events & Sys.EPOLLOUT) != 0)
                {
                    Connected();
                }

                break;
            case State.Relaying when slot == 0:
                // Deferred: this connection used its share of a turn and continues now.
                Pump(_up, _client, _backend, untilEmpty: true);
                Pump(_down, _backend, _client, untilEmpty: true);
                break;
            case State.Relaying when slot == _clientSlot:
                Relay(events, _up, _down, _client, _backend);
                break;
            case State.Relaying when slot == _backendSlot:
                Relay(events, _down, _up, _backend, _client);
                break;
        }
    }

    /// <summary>The connect of attempt <paramref name="attempt"/> of use <paramref name="serial"/> of this object ran out of time.</summary>
    public void OnTimer(int serial, int attempt)
    {
        if (serial == _serial && _state == State.Connecting && attempt == _attempts && _backend >= 0)
        {
            ConnectFailed(Sys.ETIMEDOUT);
        }
    }

    /// <summary>Resets both sides and closes (loop thread only).</summary>
    public void Abort()
    {
        if (_state == State.Closed)
        {
            return;
        }

        Sys.SetResetOnClose(_client);
        if (_backend >= 0)
        {
            Sys.SetResetOnClose(_backend);
        }

        Close();
    }

    private void Reset(TcpFrontend frontend, int client, ReadOnlySpan<byte> address)
    {
        _serial++;
        _state = State.Connecting;
        _frontend = frontend;
        _client = client;
        _clientKey = SockAddr.IsIPv4(address) ? ClientKey.OfIPv4(SockAddr.Address(address)) : ClientKey.OfIPv6(SockAddr.Address(address));
        _clientPort = SockAddr.Port(address);
        _accepted = _context.Time.GetUtcNow();
        _clientSlot = _backendSlot = 0;
        _backend = -1;
        _clientWritable = _backendWritable = true;
        _endpoint = null;
        _attempts = 0;
        _failures = null;
        _decision = Decision.Policy;
        _up.Reset();
        _down.Reset();
    }

    private void Begin()
    {
        // TCP_NODELAY on the client leg comes from the listener (Listeners.ListenTcp): accepted sockets inherit it.
        _clientSlot = _loop.Register(_client, ReadEvents, this);
        _table = _frontend.Owner.Table(_frontend.Entry.Kind);
        if (_clientSlot < 0 || _table.Verdict != Verdict.Forward)
        {
            // No table to forward with: accepted in the moment before the listener closed or started dropping.
            Abort();
            return;
        }

        NextAttempt();
    }

    /// <summary>Chooses the next endpoint and connects it; resets the client when none is left.</summary>
    private void NextAttempt()
    {
        while (true)
        {
            var decision = Decision.Refused;
            var endpoint = _attempts < MaxAttempts ? _table.Choose(_clientKey, _context.Now(), _tried.AsSpan(0, _attempts), out decision) : null;
            if (endpoint is null)
            {
                var port = _frontend.Owner;
                port.Metrics.Refused.Inc();
                _context.Trace.Add(new TraceRecord(_accepted, _clientKey, _clientPort, _frontend.Entry, port.Name, null, Decision.Refused, _failures));
                Abort();
                return;
            }

            _endpoint = endpoint;
            _decision = decision;
            var error = BeginConnect(endpoint);
            if (error == 0)
            {
                Connected();
                return;
            }

            if (error == Sys.EINPROGRESS)
            {
                _loop.AddTimer(this, _serial, _attempts, _context.Now() + _context.Ticks(_context.ConnectTimeout));
                return;
            }

            Failed(error);
        }
    }

    /// <summary>Starts a non-blocking connect: 0 when connected at once, EINPROGRESS while under way, else the error.</summary>
    private int BeginConnect(BackendEndpoint endpoint)
    {
        var address = stackalloc byte[SockAddr.MaxLength];
        var length = endpoint.WriteSockAddr(new Span<byte>(address, SockAddr.MaxLength));
        var fd = Sys.Socket(endpoint.IsIPv4 ? Sys.AF_INET : Sys.AF_INET6, Sys.SOCK_STREAM | Sys.SOCK_NONBLOCK | Sys.SOCK_CLOEXEC, 0);
        if (fd < 0)
        {
            return Sys.Errno;
        }

        Sys.SetInt(fd, Sys.IPPROTO_TCP, Sys.TCP_NODELAY, 1);
        var result = Sys.Connect(fd, address, length);
        var error = result == 0 ? 0 : Sys.Errno;
        if (error is not (0 or Sys.EINPROGRESS))
        {
            Sys.Close(fd);
            return error;
        }

        _backend = fd;
        // Writability tells when the connect is done; it is turned off once connected.
        _backendSlot = _loop.Register(fd, ReadWriteEvents, this);
        _backendWritable = false;
        if (_backendSlot < 0)
        {
            var failed = Sys.Errno;
            Sys.Close(fd);
            _backend = -1;
            return failed;
        }

        return error;
    }

    private void ConnectFailed(int error)
    {
        _loop.Release(_backendSlot);
        Sys.Close(_backend);
        _backend = -1;
        Failed(error);
        NextAttempt();
    }

    /// <summary>Books a failed connect of <see cref="_endpoint"/>; the next attempt picks from the current table.</summary>
    private void Failed(int error)
    {
        var endpoint = _endpoint!;
        var port = _frontend.Owner;
        endpoint.MarkFailed(_context.Now() + _context.FailedHold);
        (endpoint.Metrics ??= _context.Metrics.ForEndpoint(port.Name, endpoint)).ConnectFailures.Inc();
        port.Metrics.Retries.Inc();
        Log.ConnectFailed(_context.Logger, port.Name.ToString(), endpoint.Name, error);
        _failures = (_failures is null ? "after " : _failures + ", ") + endpoint.Name + " " + Describe(error);
        (_tried ??= new BackendEndpoint[MaxAttempts])[_attempts++] = endpoint;
        _endpoint = null;

        // A sync may have swapped the table meanwhile (the endpoint's pod is gone): choose from the new one.
        var table = port.Table(_frontend.Entry.Kind);
        _table = table.Verdict == Verdict.Forward ? table : RoutingTable.Rejecting;
    }

    private void Connected()
    {
        _state = State.Relaying;
        StopWaitingWritable(_backend);
        var endpoint = _endpoint!;
        var port = _frontend.Owner;
        endpoint.Opened();
        _up.Metrics = _down.Metrics = endpoint.Metrics ??= _context.Metrics.ForEndpoint(port.Name, endpoint);
        endpoint.Metrics.Connections.Inc();
        var detail = _decision == Decision.Policy ? _policyNames[(int)_table.Balancer.Policy] : _failures;
        _context.Trace.Add(new TraceRecord(_accepted, _clientKey, _clientPort, _frontend.Entry, port.Name, endpoint, _decision, detail));
        if (port.Model.Info.ProxyProtocol)
        {
            // The header goes out before any byte of the client: it is the first thing in the client → endpoint buffer.
            _up.Buffer = _loop.Buffers.Rent();
            var client = new IPEndPoint(ClientKey.ToAddress(_clientKey), _clientPort);
            _up.Pending = ProxyProtocolV2.Write(new Span<byte>(_up.Buffer, BufferSize), client, new IPEndPoint(_frontend.Entry.Address, _frontend.Entry.Port));
        }

        // Readiness that came while connecting was not acted on: read until the sockets say they are empty.
        Pump(_up, _client, _backend, untilEmpty: true);
        Pump(_down, _backend, _client, untilEmpty: true);
    }

    /// <summary>
    /// Readiness of one socket: readable moves its bytes out (<paramref name="fromIt"/>), writable moves bytes waiting for
    /// it (<paramref name="toIt"/>). A peer that closed or failed is read until the end shows.
    /// </summary>
    private void Relay(uint events, Direction fromIt, Direction toIt, int socket, int other)
    {
        if ((events & ~Sys.EPOLLOUT) != 0)
        {
            Pump(fromIt, socket, other, untilEmpty: (events & (Sys.EPOLLRDHUP | Sys.EPOLLHUP | Sys.EPOLLERR)) != 0);
        }

        if ((events & Sys.EPOLLOUT) != 0 && _state == State.Relaying)
        {
            Pump(toIt, other, socket, untilEmpty: false);
            if (_state == State.Relaying && !toIt.HasPending)
            {
                StopWaitingWritable(socket);
            }
        }
    }

    /// <summary>A send to <paramref name="fd"/> would block: ask the loop to say when it can take more.</summary>
    private void WaitWritable(int fd)
    {
        ref var writable = ref fd == _client ? ref _clientWritable : ref _backendWritable;
        if (writable)
        {
            writable = false;
            _loop.Modify(fd, ReadWriteEvents, fd == _client ? _clientSlot : _backendSlot);
        }
    }

    private void StopWaitingWritable(int fd)
    {
        ref var writable = ref fd == _client ? ref _clientWritable : ref _backendWritable;
        if (!writable)
        {
            writable = true;
            _loop.Modify(fd, ReadEvents, fd == _client ? _clientSlot : _backendSlot);
        }
    }

    private static string Describe(int error) => error switch
    {
        Sys.ECONNREFUSED => "refused",
        Sys.ETIMEDOUT => "timed out",
        Sys.EHOSTUNREACH => "unreachable",
        _ => "errno " + error,
    };

    private void Close()
    {
        if (_state == State.Closed)
        {
            return;
        }

        var relayed = _state == State.Relaying;
        _state = State.Closed;
        _loop.Release(_clientSlot);
        Sys.Close(_client);
        if (_backend >= 0)
        {
            _loop.Release(_backendSlot);
            Sys.Close(_backend);
            _backend = -1;
        }

        Finish(_up);
        Finish(_down);
        if (relayed)
        {
            _endpoint!.Closed();
        }

        _loop.Closed(this);
        _context.ConnectionClosed();
        _frontend = null!;
        _table = RoutingTable.Rejecting;
        _loop.ReturnConnection(this);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 5031, Level = LogLevel.Debug, Message = "Connect from {ServicePort} to {Endpoint} failed (errno {Errno}); trying another endpoint")]
        public static partial void ConnectFailed(ILogger logger, string servicePort, string endpoint, int errno);
    }
}
