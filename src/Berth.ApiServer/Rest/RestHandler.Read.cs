using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Berth.ApiServer.Http;
using Berth.Core.Errors;
using Berth.Core.Tables;
using Berth.Storage;
using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Http;

namespace Berth.ApiServer.Rest;

internal sealed partial class RestHandler
{
    private async Task ListAsync(HttpContext context, RequestInfo request, CancellationToken ct)
    {
        var query = context.Request.Query;
        var options = ListOptions.From(query, request.Resource);
        var limit = (int)Math.Clamp(query.GetLong("limit") ?? 0, 0, int.MaxValue);
        var token = ContinueToken.Parse(query.Get("continue"));
        var (items, revision, next) = await ReadMatchingAsync(request, options, limit, token, ct).ConfigureAwait(false);

        if (MediaTypes.WantsTable(context.Request.Headers.Accept))
        {
            var table = Tables.Convert(request.Resource, items.Select(i => i.Object).ToList(), Rv(revision), next, _time.GetUtcNow(), Tables.IncludeObject(query));
            await Responses.WriteJsonAsync(context, 200, table, ct).ConfigureAwait(false);
            return;
        }

        // The list is assembled from each object's cached JSON rather than serialized again.
        var buffer = new ArrayBufferWriter<byte>(4096 + (items.Count * 1024));
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("kind", request.Resource.ListKind);
            writer.WriteString("apiVersion", request.Resource.ApiVersion);
            writer.WriteStartObject("metadata");
            writer.WriteString("resourceVersion", Rv(revision));
            if (next is not null)
            {
                writer.WriteString("continue", next);
            }

            writer.WriteEndObject();
            writer.WriteStartArray("items");
            foreach (var item in items)
            {
                writer.WriteRawValue(item.Json, skipInputValidation: true);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        context.Response.StatusCode = 200;
        context.Response.ContentType = MediaTypes.Json;
        context.Response.ContentLength = buffer.WrittenCount;
        await context.Response.Body.WriteAsync(buffer.WrittenMemory, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Pages through the store until <paramref name="limit"/> matching objects are collected (0 = all). Returns the
    /// continue token when more may follow. A continued list reads the current state after the last key returned.
    /// </summary>
    private async Task<(List<StoredObject> Items, long Revision, string? Continue)> ReadMatchingAsync(
        RequestInfo request, ListOptions options, int limit, ContinueToken? token, CancellationToken ct)
    {
        var prefix = ObjectStore.Prefix(request.Resource, request.Namespace);
        var items = new List<StoredObject>();
        var startAfter = token?.LastKey;
        long revision = 0;
        while (true)
        {
            var page = await _objects.Store.ListAsync(prefix, startAfter, limit == 0 ? 0 : Math.Max(limit - items.Count, 1), ct).ConfigureAwait(false);
            if (revision == 0)
            {
                revision = token?.Revision ?? page.Revision;
            }

            foreach (var kv in page.Items)
            {
                var obj = _objects.Decode(request.Resource, kv);
                if (options.IsEverything || options.Matches(obj.Object))
                {
                    items.Add(obj);
                }
            }

            if (!page.More || page.Items.Count == 0)
            {
                return (items, revision, null);
            }

            startAfter = page.Items[^1].Key;
            if (limit > 0 && items.Count >= limit)
            {
                return (items, revision, new ContinueToken(revision, startAfter).Encode());
            }
        }
    }

    private async Task WatchAsync(HttpContext context, RequestInfo request, CancellationToken requestAborted)
    {
        var query = context.Request.Query;
        var options = ListOptions.From(query, request.Resource);
        IncludeObjectPolicy? table = MediaTypes.WantsTable(context.Request.Headers.Accept) ? Tables.IncludeObject(query) : null;
        var bookmarks = query.GetBool("allowWatchBookmarks");
        var rvText = query.Get("resourceVersion");
        var sendInitial = query.Get("sendInitialEvents") is { } s ? query.GetBool("sendInitialEvents") : string.IsNullOrEmpty(rvText) || rvText == "0";
        var timeoutSeconds = query.GetLong("timeoutSeconds");

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(requestAborted);
        if (timeoutSeconds is > 0)
        {
            timeout.CancelAfter(TimeSpan.FromSeconds(timeoutSeconds.Value));
        }

        var ct = timeout.Token;
        context.Response.StatusCode = 200;
        context.Response.ContentType = MediaTypes.Json;
        context.Response.Headers.CacheControl = "no-cache, private";
        await context.Response.StartAsync(ct).ConfigureAwait(false);

        // Over HTTP/1.1 Kestrel holds the headers until the first body write; a watcher must see them at once.
        await context.Response.Body.FlushAsync(ct).ConfigureAwait(false);
        var output = new WatchWriter(context, request.Resource, table, _time);

        long from;
        try
        {
            if (sendInitial)
            {
                var (items, revision, _) = await ReadMatchingAsync(request, options, 0, null, ct).ConfigureAwait(false);
                foreach (var item in items)
                {
                    await output.WriteEventAsync("ADDED", item, ct).ConfigureAwait(false);
                }

                from = revision;
                if (bookmarks && query.Get("sendInitialEvents") is not null)
                {
                    await output.WriteBookmarkAsync(from, initialEventsEnd: true, ct).ConfigureAwait(false);
                }
            }
            else
            {
                from = ParseRv(rvText, "resourceVersion");
            }

            await FollowAsync(request, options, output, from, bookmarks, ct).ConfigureAwait(false);
        }
        catch (RevisionCompactedException e)
        {
            await output.WriteErrorAsync(StatusErrors.Expired(e.Message).Status, CancellationToken.None).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // timeoutSeconds elapsed or the client went away: the stream simply ends.
        }
    }

    private async Task FollowAsync(RequestInfo request, ListOptions options, WatchWriter output, long from, bool bookmarks, CancellationToken ct)
    {
        if (from < _objects.Store.CompactedRevision)
        {
            throw new RevisionCompactedException(from, _objects.Store.CompactedRevision);
        }

        var prefix = ObjectStore.Prefix(request.Resource, request.Namespace);
        var lastSeen = from;
        // The store's iterator must not be disposed while a MoveNextAsync is pending (a bookmark wait leaves one
        // pending): on the way out the watch is cancelled and the pending read awaited before the iterator is disposed.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var events = _objects.Store.WatchAsync(prefix, from, stop.Token).GetAsyncEnumerator(stop.Token);
        var pending = events.MoveNextAsync().AsTask();
        try
        {
            while (true)
            {
                if (bookmarks && !pending.IsCompleted)
                {
                    var delay = Task.Delay(_options.BookmarkInterval, _time, ct);
                    if (await Task.WhenAny(pending, delay).ConfigureAwait(false) == delay)
                    {
                        // Every event up to lastSeen has been delivered, so a client resuming from it misses nothing.
                        await output.WriteBookmarkAsync(lastSeen, initialEventsEnd: false, ct).ConfigureAwait(false);
                        continue;
                    }
                }

                if (!await pending.ConfigureAwait(false))
                {
                    return; // the store ended this watcher (it fell behind): the client re-lists, as after any closed watch.
                }

                var ev = events.Current;
                lastSeen = ev.Revision;
                var obj = _objects.Decode(request.Resource, ev.Value);
                if (options.IsEverything || options.Matches(obj.Object))
                {
                    var type = ev.Type switch
                    {
                        StoreEventType.Created => "ADDED",
                        StoreEventType.Modified => "MODIFIED",
                        _ => "DELETED",
                    };
                    await output.WriteEventAsync(type, obj, ct).ConfigureAwait(false);
                }

                pending = events.MoveNextAsync().AsTask();
            }
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await ((Task)pending).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            await events.DisposeAsync().ConfigureAwait(false);
        }
    }
}
