using System.Text;
using System.Text.Json.Nodes;
using Berth.Core.Resources;
using Berth.Core.Tables;
using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Http;

namespace Berth.ApiServer.Rest;

/// <summary>
/// Writes watch events as Kubernetes does: one JSON object per event followed by a newline (the C# client reads
/// line by line), flushed at once. With a table policy (<c>as=Table</c>) each event's object is a
/// one-row Table whose row object follows the policy, as Kubernetes' watch encodes through asTable.
/// </summary>
internal sealed class WatchWriter
{
    private readonly HttpContext _context;
    private readonly ResourceInfo _resource;
    private readonly IncludeObjectPolicy? _table;
    private readonly TimeProvider _time;

    public WatchWriter(HttpContext context, ResourceInfo resource, IncludeObjectPolicy? table, TimeProvider time)
    {
        _context = context;
        _resource = resource;
        _table = table;
        _time = time;
    }

    public async Task WriteEventAsync(string type, StoredObject obj, CancellationToken ct)
    {
        var body = _context.Response.Body;
        if (_table is { } includeObject)
        {
            var table = Tables.Convert(_resource, [obj.Object], obj.ResourceVersion, null, _time.GetUtcNow(), includeObject);
            await body.WriteAsync(Encoding.UTF8.GetBytes("{\"type\":\"" + type + "\",\"object\":" + table.ToJsonString() + "}\n"), ct).ConfigureAwait(false);
        }
        else
        {
            await body.WriteAsync(obj.EventLine(type), ct).ConfigureAwait(false);
        }

        await body.FlushAsync(ct).ConfigureAwait(false);
    }

    public async Task WriteBookmarkAsync(long revision, bool initialEventsEnd, CancellationToken ct)
    {
        var metadata = new JsonObject { ["resourceVersion"] = revision.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        if (initialEventsEnd)
        {
            metadata["annotations"] = new JsonObject { ["k8s.io/initial-events-end"] = "true" };
        }

        var ev = new JsonObject
        {
            ["type"] = "BOOKMARK",
            ["object"] = new JsonObject { ["kind"] = _resource.Kind, ["apiVersion"] = _resource.ApiVersion, ["metadata"] = metadata },
        };
        await WriteLineAsync(ev.ToJsonString(), ct).ConfigureAwait(false);
    }

    public Task WriteErrorAsync(V1Status status, CancellationToken ct) =>
        WriteLineAsync("{\"type\":\"ERROR\",\"object\":" + Berth.Core.Errors.StatusJson.Serialize(status) + "}", ct);

    private async Task WriteLineAsync(string json, CancellationToken ct)
    {
        await _context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(json + "\n"), ct).ConfigureAwait(false);
        await _context.Response.Body.FlushAsync(ct).ConfigureAwait(false);
    }
}
