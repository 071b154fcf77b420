using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Berth.Proxy.Model;
using Berth.Proxy.Userspace;
using Microsoft.Extensions.Logging;

namespace Berth.Proxy.Health;

/// <summary>
/// The <c>healthCheckNodePort</c> servers of LoadBalancer Services with <c>externalTrafficPolicy: Local</c> (§5.6,
/// pkg/proxy/healthcheck/service_health.go): on every NodePort address, any path answers kube-proxy's JSON — 200 when
/// this node has a local ready endpoint and the proxy is healthy, 503 otherwise — so a load balancer sends traffic only
/// to nodes that can serve it. A small HTTP/1.1 responder on raw sockets (one request per connection).
/// </summary>
internal sealed partial class ServiceHealthServer : IDisposable
{
    private readonly UserspaceContext _context;
    private readonly BindFailures _failures;
    private readonly Func<bool> _proxyHealthy;
    private readonly Dictionary<string, Instance> _services = new(StringComparer.Ordinal);

    public ServiceHealthServer(UserspaceContext context, Func<bool> proxyHealthy)
    {
        _context = context;
        _failures = new BindFailures(context);
        _proxyHealthy = proxyHealthy;
    }

    /// <summary>
    /// Sets a Service's health-check port (0: none) and its count of local ready endpoints (distinct addresses across
    /// its ports, as upstream <c>LocalReadyEndpoints</c>). Listeners that failed are retried when <paramref name="retry"/>.
    /// </summary>
    public void Update(ServiceRef service, int port, int localEndpoints, bool retry)
    {
        if (_services.TryGetValue(service.Key, out var instance) && instance.Port != port)
        {
            instance.Dispose();
            _services.Remove(service.Key);
            instance = null;
        }

        if (port == 0)
        {
            return;
        }

        if (instance is null)
        {
            _services[service.Key] = instance = new Instance(this, service, port);
            instance.Open(report: true);
        }
        else if (retry)
        {
            instance.Open(report: true);
        }

        instance.LocalEndpoints = localEndpoints;
    }

    public void Dispose()
    {
        foreach (var instance in _services.Values)
        {
            instance.Dispose();
        }

        _services.Clear();
    }

    /// <summary>kube-proxy's body, byte for byte (Go's dedented, trimmed template).</summary>
    internal static string Body(ServiceRef service, int localEndpoints, bool healthy) =>
        "{\n\t\"service\": {\n\t\t\"namespace\": " + Quote(service.Namespace) + ",\n\t\t\"name\": " + Quote(service.Name)
        + "\n\t},\n\t\"localEndpoints\": " + localEndpoints.ToString(CultureInfo.InvariantCulture)
        + ",\n\t\"serviceProxyHealthy\": " + (healthy ? "true" : "false") + "\n}";

    /// <summary>Go's %q for the names Kubernetes allows (DNS labels: nothing to escape but quotes and backslashes).</summary>
    private static string Quote(string value) => "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    private sealed class Instance(ServiceHealthServer server, ServiceRef service, int port) : IDisposable
    {
        private readonly Dictionary<IPAddress, Socket> _listeners = [];
        private volatile bool _closed;

        public int Port => port;

        public volatile int LocalEndpoints;

        public void Open(bool report)
        {
            foreach (var address in server._context.NodePortAddresses)
            {
                if (_listeners.ContainsKey(address))
                {
                    continue;
                }

                var endPoint = new IPEndPoint(address, port);
                var (socket, error) = Listeners.ListenTcp(endPoint);
                if (socket is null)
                {
                    if (report)
                    {
                        server._failures.Report(service, endPoint + "/TCP (health check)", error);
                    }

                    continue;
                }

                _listeners[address] = socket;
                _ = AcceptLoopAsync(socket);
            }
        }

        public void Dispose()
        {
            _closed = true;
            foreach (var socket in _listeners.Values)
            {
                socket.Dispose();
            }

            _listeners.Clear();
        }

        private async Task AcceptLoopAsync(Socket listener)
        {
            while (!_closed)
            {
                Socket client;
                try
                {
                    client = await listener.AcceptAsync(CancellationToken.None).ConfigureAwait(false);
                }
                catch (Exception e) when (e is SocketException or ObjectDisposedException)
                {
                    if (_closed)
                    {
                        return;
                    }

                    continue;
                }

                _ = AnswerAsync(client);
            }
        }

        private async Task AnswerAsync(Socket client)
        {
            using (client)
            {
                try
                {
                    using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5), server._context.Time);
                    if (!await ReadRequestAsync(client, timeout.Token).ConfigureAwait(false))
                    {
                        return;
                    }

                    var count = LocalEndpoints;
                    var healthy = server._proxyHealthy();
                    var body = Encoding.UTF8.GetBytes(Body(service, count, healthy));
                    var head = (count != 0 && healthy ? "HTTP/1.1 200 OK\r\n" : "HTTP/1.1 503 Service Unavailable\r\n")
                        + "Content-Type: application/json\r\n"
                        + "X-Content-Type-Options: nosniff\r\n"
                        + "X-Load-Balancing-Endpoint-Weight: " + count.ToString(CultureInfo.InvariantCulture) + "\r\n"
                        + "Content-Length: " + body.Length.ToString(CultureInfo.InvariantCulture) + "\r\n"
                        + "Connection: close\r\n\r\n";
                    await client.SendAsync(Encoding.ASCII.GetBytes(head), SocketFlags.None, timeout.Token).ConfigureAwait(false);
                    await client.SendAsync(body, SocketFlags.None, timeout.Token).ConfigureAwait(false);
                    client.Shutdown(SocketShutdown.Send);
                }
                catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
                {
                    Log.AnswerFailed(server._context.Logger, service.Key, e.Message);
                }
            }
        }

        /// <summary>Reads up to the end of the request head (any method, any path); false when the client gave up.</summary>
        private static async Task<bool> ReadRequestAsync(Socket client, CancellationToken cancellationToken)
        {
            var buffer = new byte[8192];
            var length = 0;
            while (length < buffer.Length)
            {
                var n = await client.ReceiveAsync(buffer.AsMemory(length), SocketFlags.None, cancellationToken).ConfigureAwait(false);
                if (n == 0)
                {
                    return false;
                }

                length += n;
                if (buffer.AsSpan(0, length).IndexOf("\r\n\r\n"u8) >= 0)
                {
                    return true;
                }
            }

            return true;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 5040, Level = LogLevel.Debug, Message = "Health check of {Service} not answered: {Reason}")]
        public static partial void AnswerFailed(ILogger logger, string service, string reason);
    }
}
