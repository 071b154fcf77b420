using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using k8s;
using k8s.Models;

namespace Berth.Client.Http;

public sealed partial class HttpApiClient
{
    public async IAsyncEnumerable<WatchEvent<T>> WatchAsync<T>(
        string? ns, string resourceVersion, WatchQuery? query, [EnumeratorCancellation] CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var resource = _types.For<T>();
        query ??= new WatchQuery();
        var path = ResourcePaths.WithQuery(
            ResourcePaths.For(resource, ns),
            [
                ("watch", "true"),
                ("resourceVersion", resourceVersion),
                ("allowWatchBookmarks", query.AllowBookmarks ? "true" : null),
                ("timeoutSeconds", ResourcePaths.Seconds(query.Timeout)),
                ("labelSelector", query.LabelSelector),
                ("fieldSelector", query.FieldSelector),
            ]);
        // Bounded twice: by the server's timeoutSeconds (plus a grace, should the server not end it), and — when it
        // asked for bookmarks — by silence: no event and no bookmark for WatchIdleTimeout means a dead connection.
        using var stop = new CancellationTokenSource(Timeout.InfiniteTimeSpan, _options.TimeProvider);
        if (query.Timeout is { } serverTimeout)
        {
            stop.CancelAfter(serverTimeout + _options.WatchTimeoutGrace);
        }

        using var idle = new CancellationTokenSource(Timeout.InfiniteTimeSpan, _options.TimeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, stop.Token, idle.Token);
        var idleTimeout = query.AllowBookmarks ? _options.WatchIdleTimeout : Timeout.InfiniteTimeSpan;
        HttpResponseMessage response;
        try
        {
            idle.CancelAfter(idleTimeout);
            response = await SendAsync(HttpMethod.Get, path, null, linked.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (WatchExpired(e, stop, idle, cancellationToken))
        {
            throw WatchTimedOut(path, stop, idleTimeout, e);
        }

        using (response)
        {
            var stream = await response.Content.ReadAsStreamAsync(linked.Token).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                // One JSON object per line (docs: kubectl-wire §4); an event may span chunks and a chunk may hold several.
                using var reader = new StreamReader(stream, Encoding.UTF8);
                while (true)
                {
                    string? line;
                    try
                    {
                        line = await reader.ReadLineAsync(linked.Token).ConfigureAwait(false);
                    }
                    catch (Exception e) when (WatchExpired(e, stop, idle, cancellationToken))
                    {
                        throw WatchTimedOut(path, stop, idleTimeout, e);
                    }

                    if (line is null)
                    {
                        yield break;
                    }

                    if (!string.IsNullOrWhiteSpace(line))
                    {
                        // The consumer's time is not silence: the idle clock stops while it handles the event.
                        idle.CancelAfter(Timeout.InfiniteTimeSpan);
                        yield return ParseEvent<T>(line);
                    }

                    idle.CancelAfter(idleTimeout);
                }
            }
        }
    }

    private static bool WatchExpired(Exception e, CancellationTokenSource stop, CancellationTokenSource idle, CancellationToken caller) =>
        (stop.IsCancellationRequested || idle.IsCancellationRequested) && !caller.IsCancellationRequested
        && e is OperationCanceledException or IOException or HttpRequestException;

    private static ApiTimeoutException WatchTimedOut(string path, CancellationTokenSource stop, TimeSpan idleTimeout, Exception inner) =>
        TimedOut(
            stop.IsCancellationRequested
                ? $"watch {path}: the server did not end it within its timeoutSeconds"
                : $"watch {path}: nothing received for {Seconds(idleTimeout)}, not even a bookmark",
            inner);

    /// <summary>Decodes one watch line; an ERROR event becomes the matching <see cref="ApiException"/>.</summary>
    internal static WatchEvent<T> ParseEvent<T>(string line)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        using var document = JsonDocument.Parse(line);
        var root = document.RootElement;
        var type = root.TryGetProperty("type", out var t) ? t.GetString() : null;
        if (!root.TryGetProperty("object", out var obj) || obj.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException("watch event without an object");
        }

        // The object is read from the parsed document, not from its text again: informers decode every event of a
        // busy kind (100,000 pods in bench `scale`), and a second parse was a third of that cost.
        return type switch
        {
            "ADDED" => new WatchEvent<T>(WatchEventType.Added, KubernetesJson.Deserialize<T>(obj)),
            "MODIFIED" => new WatchEvent<T>(WatchEventType.Modified, KubernetesJson.Deserialize<T>(obj)),
            "DELETED" => new WatchEvent<T>(WatchEventType.Deleted, KubernetesJson.Deserialize<T>(obj)),
            "BOOKMARK" => new WatchEvent<T>(WatchEventType.Bookmark, KubernetesJson.Deserialize<T>(obj)),
            "ERROR" => throw ApiException.For(ErrorStatus(obj.GetRawText())),
            _ => throw new JsonException($"unknown watch event type '{type}'"),
        };
    }

    private static V1Status ErrorStatus(string raw)
    {
        var status = KubernetesJson.Deserialize<V1Status>(raw);
        status.Code ??= 500;
        return status;
    }
}
