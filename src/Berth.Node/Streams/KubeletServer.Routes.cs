using System.Globalization;
using System.Text;
using Berth.Core.Errors;
using Berth.Core.Metrics;
using Berth.Node.Pods;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;

namespace Berth.Node.Streams;

public sealed partial class KubeletServer
{
    private async Task HandleAsync(HttpContext context)
    {
        var ct = context.RequestAborted;
        try
        {
            var parts = (context.Request.Path.Value ?? "/").Trim('/').Split('/');
            switch (parts)
            {
                case ["healthz"]:
                    context.Response.ContentType = "text/plain; charset=utf-8";
                    await context.Response.WriteAsync("ok", ct).ConfigureAwait(false);
                    return;
                case ["metrics", "resource"] when context.Request.Method is "GET":
                    // pkg/kubelet/server/server.go: what metrics-server scrapes (here: the API server's metrics.k8s.io).
                    context.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
                    await context.Response.WriteAsync(ResourceMetricsText.Write(_resources.Collect()), ct).ConfigureAwait(false);
                    return;
                case ["containerLogs", var ns, var pod, var container]:
                    await ContainerLogsAsync(context, ns, pod, container, ct).ConfigureAwait(false);
                    return;
                case ["exec", var ns, var pod, var container]:
                    await ExecAsync(context, ns, pod, container, ct).ConfigureAwait(false);
                    return;
                case ["attach", _, _, _]:
                    throw KubeletErrors.BadRequest("attach is not supported: Berth containers are host processes whose stdio is not attachable; use kubectl logs -f or kubectl exec");
                case ["portForward", var ns, var pod]:
                    await PortForwardAsync(context, ns, pod, ct).ConfigureAwait(false);
                    return;
                default:
                    throw StatusErrors.PathNotFound();
            }
        }
        catch (StatusException e)
        {
            await WriteStatusAsync(context, e).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The client went away.
        }
        catch (IOException) when (ct.IsCancellationRequested)
        {
        }
#pragma warning disable CA1031 // a failed stream is logged and answered, never left to Kestrel
        catch (Exception e)
#pragma warning restore CA1031
        {
            Log.RequestFailed(_logger, context.Request.Method, context.Request.Path.Value ?? "", e);
            await WriteStatusAsync(context, StatusErrors.Internal(e.Message)).ConfigureAwait(false);
        }
    }

    private RunningPod FindPod(string ns, string name) => _pods.FindPod(ns, name) ?? throw KubeletErrors.PodNotFound(ns, name);

    private static ContainerView FindContainer(RunningPod pod, string name) =>
        pod.Find(name) ?? throw KubeletErrors.ContainerNotFound(name, pod.Name);

    private async Task ContainerLogsAsync(HttpContext context, string ns, string podName, string containerName, CancellationToken ct)
    {
        var query = context.Request.Query;
        var container = FindContainer(FindPod(ns, podName), containerName);
        var options = ParseLogOptions(query);
        if (options.Previous && container.LogFiles(true).Count == 0)
        {
            throw KubeletErrors.BadRequest($"previous terminated container \"{containerName}\" in pod \"{podName}\" not found");
        }

        if (!options.Previous && container.LogFiles(false).Count == 0)
        {
            throw KubeletErrors.BadRequest($"container \"{containerName}\" in pod \"{podName}\" is waiting to start - no logs yet");
        }

        context.Response.StatusCode = 200;
        context.Response.ContentType = "text/plain";
        if (options.Follow)
        {
            context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        }

        await context.Response.StartAsync(ct).ConfigureAwait(false);
        await _logs.WriteAsync(container, options, context.Response.Body, ct).ConfigureAwait(false);
    }

    private LogOptions ParseLogOptions(IQueryCollection query)
    {
        DateTimeOffset? since = null;
        if (ParseLong(query, "sinceSeconds") is { } seconds)
        {
            since = _options.TimeProvider.GetUtcNow().AddSeconds(-seconds);
        }
        else if (query["sinceTime"].FirstOrDefault() is { Length: > 0 } sinceTime)
        {
            since = DateTimeOffset.TryParse(sinceTime, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t)
                ? t
                : throw KubeletErrors.BadRequest($"sinceTime: invalid RFC3339 time {sinceTime}");
        }

        return new LogOptions
        {
            Follow = Bool(query, "follow"),
            Previous = Bool(query, "previous"),
            Timestamps = Bool(query, "timestamps"),
            TailLines = ParseLong(query, "tailLines"),
            LimitBytes = ParseLong(query, "limitBytes"),
            Since = since,
        };
    }

    private async Task ExecAsync(HttpContext context, string ns, string podName, string containerName, CancellationToken ct)
    {
        var query = context.Request.Query;
        var pod = FindPod(ns, podName);
        var container = FindContainer(pod, containerName);
        var request = new ExecRequest(query["command"].Where(c => c is not null).ToList()!, Bool(query, "stdin"), Bool(query, "stdout"), Bool(query, "stderr"), Bool(query, "tty"));
        if (request.Command.Count == 0)
        {
            throw KubeletErrors.BadRequest("you must specify at least 1 command");
        }

        if (!container.Running)
        {
            throw KubeletErrors.ContainerNotRunning(containerName, podName);
        }

        if (!context.WebSockets.IsWebSocketRequest)
        {
            // kubectl falls back to SPDY after a failed WebSocket upgrade and prints this second answer.
            throw KubeletErrors.BadRequest("exec over SPDY is not supported by Berth; use a client that speaks the v5.channel.k8s.io or v4.channel.k8s.io WebSocket protocol (kubectl 1.30+ does by default)");
        }

        var protocol = ChannelProtocols.Choose(context.WebSockets.WebSocketRequestedProtocols, ChannelProtocols.Exec);
        // Every frame is its own message, as the kubelet reads them (see FrameSplittingStream).
        using var socket = await TunnelWebSocket.AcceptAsync(context, protocol, stream => new FrameSplittingStream(stream)).ConfigureAwait(false);
        Log.ExecStarted(_logger, ns, podName, containerName, protocol ?? "");
        await _exec.RunAsync(socket, container, request, ct).ConfigureAwait(false);
    }

    private async Task PortForwardAsync(HttpContext context, string ns, string podName, CancellationToken ct)
    {
        var pod = FindPod(ns, podName);
        if (context.WebSockets.IsWebSocketRequest)
        {
            var requested = context.WebSockets.WebSocketRequestedProtocols;
            if (requested.Contains(ChannelProtocols.SpdyTunnel))
            {
                using var tunnel = await TunnelWebSocket.AcceptAsync(context, ChannelProtocols.SpdyTunnel).ConfigureAwait(false);
                Log.PortForwardStarted(_logger, ns, podName, "SPDY over WebSocket");
                await new SpdyPortForwarder(pod, _logger).RunAsync(new WebSocketByteStream(tunnel), ct).ConfigureAwait(false);
                return;
            }

            var ports = ParsePorts(context.Request.Query["ports"]);
            var protocol = ChannelProtocols.Choose(requested, [ChannelProtocols.V4]);
            using var socket = await context.WebSockets.AcceptWebSocketAsync(protocol).ConfigureAwait(false);
            Log.PortForwardStarted(_logger, ns, podName, "WebSocket channels");
            await WebSocketPortForwarder.RunAsync(socket, pod, ports, ct).ConfigureAwait(false);
            return;
        }

        var upgrade = context.Features.Get<IHttpUpgradeFeature>();
        if (upgrade is not { IsUpgradableRequest: true } || !string.Equals(context.Request.Headers.Upgrade, "SPDY/3.1", StringComparison.OrdinalIgnoreCase))
        {
            throw KubeletErrors.BadRequest("port-forward needs a connection upgrade: WebSocket or SPDY/3.1");
        }

        var versions = context.Request.Headers["X-Stream-Protocol-Version"].SelectMany(v => (v ?? "").Split(',', StringSplitOptions.TrimEntries));
        if (!versions.Contains(ChannelProtocols.PortForward))
        {
            throw KubeletErrors.BadRequest($"unable to upgrade: unable to negotiate protocol: client supports {string.Join(", ", versions)}, server supports [{ChannelProtocols.PortForward}]");
        }

        context.Response.Headers["X-Stream-Protocol-Version"] = ChannelProtocols.PortForward;
        context.Response.Headers.Upgrade = "SPDY/3.1";
        var stream = await upgrade.UpgradeAsync().ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            Log.PortForwardStarted(_logger, ns, podName, "SPDY");
            await new SpdyPortForwarder(pod, _logger).RunAsync(stream, ct).ConfigureAwait(false);
        }
    }

    private static List<int> ParsePorts(StringValues values)
    {
        var ports = new List<int>();
        foreach (var value in values)
        {
            foreach (var text in (value ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                ports.Add(PodDialer.ParsePort(text) ?? throw KubeletErrors.BadRequest($"invalid port value: {text}"));
            }
        }

        return ports.Count > 0 ? ports : throw KubeletErrors.BadRequest("query parameter \"ports\" is required");
    }

    private static bool Bool(IQueryCollection query, string name) => query[name].FirstOrDefault() is "true" or "1" or "True";

    private static long? ParseLong(IQueryCollection query, string name)
    {
        var text = query[name].FirstOrDefault();
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) && n >= 0
            ? n
            : throw KubeletErrors.BadRequest($"{name}: invalid value {text}: must be a non-negative integer");
    }

    private static async Task WriteStatusAsync(HttpContext context, StatusException error)
    {
        if (context.Response.HasStarted)
        {
            return;
        }

        var body = StatusJson.Encode(error.Status);
        context.Response.StatusCode = error.Code;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 6300, Level = LogLevel.Information, Message = "kubelet API listening on https://{Address}:{Port}")]
        public static partial void Listening(ILogger logger, string address, int port);

        [LoggerMessage(EventId = 6303, Level = LogLevel.Error, Message = "{Method} {Path} failed")]
        public static partial void RequestFailed(ILogger logger, string method, string path, Exception exception);

        [LoggerMessage(EventId = 6301, Level = LogLevel.Debug, Message = "exec in {Namespace}/{Pod}/{Container} ({Protocol})")]
        public static partial void ExecStarted(ILogger logger, string @namespace, string pod, string container, string protocol);

        [LoggerMessage(EventId = 6302, Level = LogLevel.Debug, Message = "port-forward to {Namespace}/{Pod} ({Transport})")]
        public static partial void PortForwardStarted(ILogger logger, string @namespace, string pod, string transport);
    }
}
