using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Text;
using Berth.Core.Errors;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Berth.ApiServer.Proxy;

/// <summary>
/// Proxies an upgrade request (WebSocket or SPDY) the way kube-apiserver's UpgradeAwareHandler does: the request goes
/// to the backend as HTTP/1.1; a <c>101</c> is relayed with its headers and then bytes are copied both ways until
/// either side closes; any other answer is relayed as it is (kubectl then falls back from WebSocket to SPDY, or
/// prints the Status) — streamed, within a deadline and a size bound (<see cref="RelayRefusalAsync"/>).
/// </summary>
internal static partial class UpgradeProxy
{
    private const int MaxHeadBytes = 64 * 1024;

    public static bool IsUpgradeRequest(HttpContext context) =>
        context.Features.Get<IHttpUpgradeFeature>() is { IsUpgradableRequest: true } && context.Request.Headers.Upgrade.Count > 0;

    public static async Task ProxyAsync(HttpContext context, KubeletConnector connector, ProxyTarget target, string pathAndQuery, CancellationToken cancellationToken)
    {
        var upgrade = context.Features.Get<IHttpUpgradeFeature>()!;
        var backend = await connector.ConnectAsync(target, cancellationToken).ConfigureAwait(false);
        await using (backend.ConfigureAwait(false))
        {
            await backend.WriteAsync(RequestHead(context, target, pathAndQuery), cancellationToken).ConfigureAwait(false);
            await backend.FlushAsync(cancellationToken).ConfigureAwait(false);
            // The pipe keeps whatever arrives after the head (the start of the body or of the upgraded stream).
            var answer = PipeReader.Create(backend, new StreamPipeReaderOptions(leaveOpen: true));
            var (status, headers) = await ReadResponseHeadAsync(answer, cancellationToken).ConfigureAwait(false);
            if (status != 101)
            {
                await RelayRefusalAsync(context, answer, status, headers, cancellationToken).ConfigureAwait(false);
                return;
            }

            foreach (var (name, value) in headers)
            {
                if (!name.Equals("Connection", StringComparison.OrdinalIgnoreCase))
                {
                    context.Response.Headers.Append(name, value);
                }
            }

            var client = await upgrade.UpgradeAsync().ConfigureAwait(false);
            await using (client.ConfigureAwait(false))
            {
                using var done = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                var up = CopyAsync(client, backend, done.Token);
                var down = CopyAsync(answer.AsStream(leaveOpen: true), client, done.Token);
                await Task.WhenAny(up, down).ConfigureAwait(false);
                // One side closed: the session is over (a WebSocket or SPDY session has no useful half-close here).
                await done.CancelAsync().ConfigureAwait(false);
                await Task.WhenAll(up, down).ConfigureAwait(false);
            }
        }
    }

    private static byte[] RequestHead(HttpContext context, ProxyTarget target, string pathAndQuery)
    {
        var head = new StringBuilder();
        head.Append(context.Request.Method).Append(' ').Append(pathAndQuery).Append(" HTTP/1.1\r\n");
        head.Append("Host: ").Append(target.Authority).Append("\r\n");
        head.Append("Connection: Upgrade\r\n");
        head.Append("Upgrade: ").Append(context.Request.Headers.Upgrade.ToString()).Append("\r\n");
        foreach (var (name, values) in context.Request.Headers)
        {
            if (!ProxyHeaders.IsForwarded(name) || name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            foreach (var value in values)
            {
                head.Append(name).Append(": ").Append(value).Append("\r\n");
            }
        }

        head.Append("\r\n");
        return Encoding.Latin1.GetBytes(head.ToString());
    }

    private static async Task<(int Status, List<KeyValuePair<string, string>> Headers)> ReadResponseHeadAsync(PipeReader answer, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await answer.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            var reader = new SequenceReader<byte>(buffer);
            if (reader.TryReadTo(out ReadOnlySequence<byte> head, "\r\n\r\n"u8))
            {
                var text = Encoding.Latin1.GetString(head);
                answer.AdvanceTo(reader.Position);
                return ParseHead(text);
            }

            if (buffer.Length > MaxHeadBytes)
            {
                throw StatusErrors.ServiceUnavailable("error proxying to the backend: response headers too large");
            }

            if (result.IsCompleted)
            {
                throw StatusErrors.ServiceUnavailable("error proxying to the backend: the connection closed before a response");
            }

            answer.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    private static (int Status, List<KeyValuePair<string, string>> Headers) ParseHead(string text)
    {
        var lines = text.Split("\r\n");
        var statusParts = lines[0].Split(' ', 3);
        if (statusParts.Length < 2 || !int.TryParse(statusParts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var status))
        {
            throw StatusErrors.ServiceUnavailable("error proxying to the backend: malformed response " + lines[0]);
        }

        var headers = new List<KeyValuePair<string, string>>();
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                headers.Add(new(line[..colon].Trim(), line[(colon + 1)..].Trim()));
            }
        }

        return (status, headers);
    }

    private static async Task CopyAsync(Stream from, Stream to, CancellationToken cancellationToken)
    {
        var buffer = new byte[32 * 1024];
        try
        {
            int n;
            while ((n = await from.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                await to.WriteAsync(buffer.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
                await to.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
        {
            // Either side went away.
        }
    }
}
