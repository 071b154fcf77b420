using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Berth.Core.Resources;
using Berth.Storage;
using k8s;
using k8s.Models;

namespace Berth.ApiServer.Rest;

/// <summary>
/// An object at one revision, shared between every request and watcher that reads it: treat <see cref="Object"/> as
/// read-only. The model is decoded on first use and the JSON (with its resourceVersion) rendered on first use, each
/// once, so an unfiltered list or a watch fan-out costs one rendering per object, not one per reader.
/// </summary>
internal sealed class StoredObject
{
    private readonly ResourceInfo _resource;
    private IKubernetesObject<V1ObjectMeta>? _object;
    private byte[]? _json;
    private (string Type, byte[] Line)? _eventLine;

    public StoredObject(ResourceInfo resource, KeyValue kv, IKubernetesObject<V1ObjectMeta>? obj = null)
    {
        _resource = resource;
        Kv = kv;
        _object = obj;
    }

    public KeyValue Kv { get; }

    public IKubernetesObject<V1ObjectMeta> Object => _object ??= DecodeValue();

    public long Revision => Kv.ModRevision;

    public string ResourceVersion => Kv.ModRevision.ToString(CultureInfo.InvariantCulture);

    /// <summary>The object's JSON with <c>metadata.resourceVersion</c> (absent for a dry run, whose revision is 0).</summary>
    public byte[] Json => _json ??= Kv.ModRevision == 0
        ? Encoding.UTF8.GetBytes(KubernetesJson.Serialize(Object))
        : ResourceVersionJson.Inject(Served(), Kv.ModRevision);

    /// <summary>The watch event line for this object (<c>{"type":…,"object":…}\n</c>), rendered once for every watcher.</summary>
    public byte[] EventLine(string type)
    {
        var cached = _eventLine;
        if (cached is { } c && c.Type == type)
        {
            return c.Line;
        }

        var head = Encoding.UTF8.GetBytes("{\"type\":\"" + type + "\",\"object\":");
        var json = Json;
        var line = new byte[head.Length + json.Length + 2];
        head.CopyTo(line, 0);
        json.CopyTo(line, head.Length);
        line[^2] = (byte)'}';
        line[^1] = (byte)'\n';
        _eventLine = (type, line);
        return line;
    }

    /// <summary>A private, mutable copy of the object.</summary>
    public IKubernetesObject<V1ObjectMeta> Clone() => _resource.Decode(JsonNode.Parse(Json)!);

    /// <summary>The stored JSON in the version this view serves.</summary>
    private ReadOnlySpan<byte> Served() => _resource.Converter is { } converter
        ? Encoding.UTF8.GetBytes(converter.FromStorage(JsonNode.Parse(Kv.Value.Span)!.AsObject()).ToJsonString())
        : Kv.Value.Span;

    private IKubernetesObject<V1ObjectMeta> DecodeValue()
    {
        var obj = _resource.Decode(JsonNode.Parse(Served())!);
        obj.Metadata ??= new V1ObjectMeta();
        obj.Metadata.ResourceVersion = ResourceVersion;
        return obj;
    }
}
