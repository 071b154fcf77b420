using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Text;
using Berth.Core.Errors;
using Microsoft.AspNetCore.Http;

namespace Berth.ApiServer.Proxy;

internal static partial class UpgradeProxy
{
    /// <summary>How much of a refused upgrade's answer is relayed (Status objects and error pages are far smaller).</summary>
    internal const long MaxRefusalBodyBytes = 1024 * 1024;

    /// <summary>kube-apiserver writes a refused upgrade's answer back within 10 seconds (upgradeaware.go).</summary>
    private static readonly TimeSpan _refusalDeadline = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Relays an answer other than 101 (Content-Length, chunked or read to the close) as it arrives, never holding
    /// more than the pipe's buffer: the backend is any pod, and could send an endless body. A body announced larger
    /// than <see cref="MaxRefusalBodyBytes"/> is a 503; one that runs past it, or past the deadline, is cut off.
    /// </summary>
    private static async Task RelayRefusalAsync(HttpContext context, PipeReader answer, int status, List<KeyValuePair<string, string>> headers, CancellationToken cancellationToken)
    {
        long? length = long.TryParse(Header(headers, "Content-Length"), NumberStyles.None, CultureInfo.InvariantCulture, out var declared) ? declared : null;
        var chunked = Header(headers, "Transfer-Encoding")?.Contains("chunked", StringComparison.OrdinalIgnoreCase) == true;
        if (length > MaxRefusalBodyBytes)
        {
            throw StatusErrors.ServiceUnavailable(
                $"error proxying to the backend: it answered {status} with a body of {length} bytes; at most {MaxRefusalBodyBytes} are relayed");
        }

        context.Response.StatusCode = status;
        foreach (var (name, value) in headers)
        {
            if (ProxyHeaders.IsRelayedResponse(name))
            {
                context.Response.Headers.Append(name, value);
            }
        }

        if (length is { } contentLength && !chunked)
        {
            context.Response.ContentLength = contentLength;
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_refusalDeadline);
        try
        {
            bool complete;
            if (chunked)
            {
                complete = await CopyChunkedAsync(answer, context.Response.Body, deadline.Token).ConfigureAwait(false);
            }
            else if (length is { } n)
            {
                complete = await CopyAsync(answer, n, context.Response.Body, deadline.Token).ConfigureAwait(false) == n;
            }
            else
            {
                // Read to the close: complete if the backend closed before the bound.
                complete = await CopyAsync(answer, MaxRefusalBodyBytes, context.Response.Body, deadline.Token).ConfigureAwait(false) < MaxRefusalBodyBytes
                    || await EndedAsync(answer, deadline.Token).ConfigureAwait(false);
            }

            if (!complete)
            {
                context.Abort();
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            context.Abort(); // the deadline: what was relayed so far is all the client gets
        }
    }

    /// <summary>Copies up to <paramref name="limit"/> bytes as they arrive; returns how many came before the backend closed.</summary>
    private static async Task<long> CopyAsync(PipeReader from, long limit, Stream to, CancellationToken cancellationToken)
    {
        long copied = 0;
        while (copied < limit)
        {
            var result = await from.ReadAsync(cancellationToken).ConfigureAwait(false);
            var take = result.Buffer.Slice(0, Math.Min(result.Buffer.Length, limit - copied));
            foreach (var segment in take)
            {
                await to.WriteAsync(segment, cancellationToken).ConfigureAwait(false);
            }

            copied += take.Length;
            from.AdvanceTo(take.End);
            if (result.IsCompleted && copied < limit && take.Length == result.Buffer.Length)
            {
                break;
            }

            await to.FlushAsync(cancellationToken).ConfigureAwait(false);
        }

        return copied;
    }

    /// <summary>True when nothing follows what was read (a close-delimited body that ended right at the bound).</summary>
    private static async Task<bool> EndedAsync(PipeReader from, CancellationToken cancellationToken)
    {
        var result = await from.ReadAsync(cancellationToken).ConfigureAwait(false);
        from.AdvanceTo(result.Buffer.Start);
        return result.IsCompleted && result.Buffer.IsEmpty;
    }

    /// <summary>Decodes <c>Transfer-Encoding: chunked</c> (RFC 9112 §7.1) while copying; false when it breaks off or runs past the bound.</summary>
    private static async Task<bool> CopyChunkedAsync(PipeReader from, Stream to, CancellationToken cancellationToken)
    {
        long total = 0;
        while (true)
        {
            var line = await ReadLineAsync(from, cancellationToken).ConfigureAwait(false);
            var sizeText = line?.Split(';')[0].Trim();
            if (sizeText is null || !long.TryParse(sizeText, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var size) || size < 0)
            {
                return false;
            }

            if (size == 0)
            {
                return true; // trailers, if any, are not relayed
            }

            total += size;
            if (total > MaxRefusalBodyBytes
                || await CopyAsync(from, size, to, cancellationToken).ConfigureAwait(false) != size
                || await ReadLineAsync(from, cancellationToken).ConfigureAwait(false) != "")
            {
                return false;
            }
        }
    }

    private static async Task<string?> ReadLineAsync(PipeReader from, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await from.ReadAsync(cancellationToken).ConfigureAwait(false);
            var reader = new SequenceReader<byte>(result.Buffer);
            if (reader.TryReadTo(out ReadOnlySequence<byte> line, "\r\n"u8))
            {
                var text = Encoding.Latin1.GetString(line);
                from.AdvanceTo(reader.Position);
                return text;
            }

            if (result.IsCompleted || result.Buffer.Length > MaxHeadBytes)
            {
                from.AdvanceTo(result.Buffer.End);
                return null;
            }

            from.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }
    }

    private static string? Header(List<KeyValuePair<string, string>> headers, string name) =>
        headers.FirstOrDefault(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value;
}
