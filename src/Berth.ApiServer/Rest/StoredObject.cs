using System.Globalization;
using System.Text;
using Berth.Core.Resources;
using Berth.Storage;
using k8s;
using k8s.Models;

namespace Berth.ApiServer.Rest;

/// <summary>
/// A decoded object at one revision, shared between every request and watcher that reads it, so treat
/// <see cref="Object"/> as read-only. Its JSON is rendered once, on first use.
/// </summary>
internal sealed class StoredObject
{
    private byte[]? _json;

    public StoredObject(KeyValue kv, IKubernetesObject<V1ObjectMeta> obj)
    {
        Kv = kv;
        Object = obj;
    }

    public KeyValue Kv { get; }

    public IKubernetesObject<V1ObjectMeta> Object { get; }

    public long Revision => Kv.ModRevision;

    public string ResourceVersion => Kv.ModRevision.ToString(CultureInfo.InvariantCulture);

    public byte[] Json => _json ??= Encoding.UTF8.GetBytes(KubernetesJson.Serialize(Object));

    /// <summary>A private, mutable copy of the object.</summary>
    public IKubernetesObject<V1ObjectMeta> Clone(ResourceInfo resource) => resource.Decode(System.Text.Json.Nodes.JsonNode.Parse(Json)!);
}
