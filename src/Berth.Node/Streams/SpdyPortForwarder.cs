using System.Net.Sockets;
using System.Text;
using Berth.Node.Pods;
using Berth.Node.Streams.Spdy;
using Microsoft.Extensions.Logging;

namespace Berth.Node.Streams;

/// <summary>
/// kubectl's port-forward over SPDY/3.1 (directly, or tunnelled in a WebSocket): for each local connection kubectl
/// opens an <c>error</c> and a <c>data</c> stream with the same <c>requestid</c> and <c>port</c> headers; the data stream
/// is joined to a TCP connection to the pod, and a failure is written to the error stream (kubectl-wire.md §8,
/// kubelet pkg/kubelet/cri/streaming/portforward/httpstream.go).
/// </summary>
internal sealed partial class SpdyPortForwarder
{
    private readonly RunningPod _pod;
    private readonly ILogger _logger;
    private readonly Dictionary<string, (SpdyStream? Error, SpdyStream? Data)> _pending = [];
    private readonly List<Task> _forwards = [];

    public SpdyPortForwarder(RunningPod pod, ILogger logger)
    {
        _pod = pod;
        _logger = logger;
    }

    /// <summary>Serves one SPDY connection until the client ends it.</summary>
    public async Task RunAsync(Stream transport, CancellationToken cancellationToken)
    {
        using var session = new SpdySession(transport);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            await session.RunAsync(stream => OnStreamAsync(session, stream, stop.Token), stop.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SpdyProtocolException or ObjectDisposedException)
        {
            Log.SessionFailed(_logger, _pod.Namespace, _pod.Name, e.Message);
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(_forwards).ConfigureAwait(false);
        }
    }

    private async Task OnStreamAsync(SpdySession session, SpdyStream stream, CancellationToken cancellationToken)
    {
        await stream.ReplyAsync(cancellationToken).ConfigureAwait(false);
        var type = stream.Header("streamtype");
        var requestId = stream.Header("requestid") ?? stream.Header("port") ?? "";
        var pair = _pending.GetValueOrDefault(requestId);
        switch (type)
        {
            case "error":
                pair.Error = stream;
                break;
            case "data":
                pair.Data = stream;
                break;
            default:
                await stream.ResetAsync(cancellationToken).ConfigureAwait(false);
                session.Remove(stream.Id);
                return;
        }

        if (pair.Error is null || pair.Data is null)
        {
            _pending[requestId] = pair;
            return;
        }

        _pending.Remove(requestId);
        _forwards.RemoveAll(t => t.IsCompleted);
        _forwards.Add(Task.Run(() => ForwardAsync(session, pair.Error, pair.Data, cancellationToken), CancellationToken.None));
    }

    private async Task ForwardAsync(SpdySession session, SpdyStream error, SpdyStream data, CancellationToken cancellationToken)
    {
        try
        {
            var port = PodDialer.ParsePort(data.Header("port"));
            if (port is null)
            {
                await FailAsync(error, data, $"invalid port: {data.Header("port")}", cancellationToken).ConfigureAwait(false);
                return;
            }

            var (socket, failure) = await PodDialer.ConnectAsync(_pod, port.Value, cancellationToken).ConfigureAwait(false);
            if (socket is null)
            {
                Log.ConnectFailed(_logger, _pod.Namespace, _pod.Name, port.Value, failure!);
                await FailAsync(error, data, failure!, cancellationToken).ConfigureAwait(false);
                return;
            }

            using (socket)
            {
                using var aborted = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, data.Aborted);
                var toPod = CopyToPodAsync(data, socket, aborted.Token);
                await CopyFromPodAsync(socket, data, aborted.Token).ConfigureAwait(false);
                // The pod closed its side: end the data stream, then the error stream (empty: no error), as the kubelet does.
                await data.CloseAsync(cancellationToken).ConfigureAwait(false);
                await error.CloseAsync(cancellationToken).ConfigureAwait(false);
                await toPod.ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The session or the stream ended under us.
        }
        finally
        {
            session.Remove(error.Id);
            session.Remove(data.Id);
        }
    }

    private static async Task CopyFromPodAsync(Socket socket, SpdyStream data, CancellationToken cancellationToken)
    {
        var buffer = new byte[32 * 1024];
        try
        {
            int n;
            while ((n = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken).ConfigureAwait(false)) > 0)
            {
                await data.WriteAsync(buffer.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
            }
        }
        catch (SocketException)
        {
            // A reset from the pod ends the stream like a close.
        }
    }

    private static async Task CopyToPodAsync(SpdyStream data, Socket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[32 * 1024];
        try
        {
            int n;
            while ((n = await data.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                await socket.SendAsync(buffer.AsMemory(0, n), SocketFlags.None, cancellationToken).ConfigureAwait(false);
            }

            socket.Shutdown(SocketShutdown.Send); // kubectl's local client closed its side
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Reset by the client, or the pod went away.
        }
    }

    private static async Task FailAsync(SpdyStream error, SpdyStream data, string message, CancellationToken cancellationToken)
    {
        await error.WriteAsync(Encoding.UTF8.GetBytes(message), cancellationToken).ConfigureAwait(false);
        await error.CloseAsync(cancellationToken).ConfigureAwait(false);
        await data.CloseAsync(cancellationToken).ConfigureAwait(false);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 6320, Level = LogLevel.Information, Message = "port-forward to pod {Namespace}/{Pod} port {Port} failed: {Reason}")]
        public static partial void ConnectFailed(ILogger logger, string @namespace, string pod, int port, string reason);

        [LoggerMessage(EventId = 6321, Level = LogLevel.Debug, Message = "port-forward session for pod {Namespace}/{Pod} ended: {Reason}")]
        public static partial void SessionFailed(ILogger logger, string @namespace, string pod, string reason);
    }
}
