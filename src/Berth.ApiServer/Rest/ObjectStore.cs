using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json.Nodes;
using Berth.Core.Resources;
using Berth.Storage;
using k8s;
using k8s.Models;

namespace Berth.ApiServer.Rest;

/// <summary>
/// Typed access to the store: keys per resource, Kubernetes JSON values, and <c>metadata.resourceVersion</c>
/// taken from the store revision on every read (it is never stored in the value, as in Kubernetes' etcd3 store).
/// </summary>
internal sealed class ObjectStore
{
    private readonly ConditionalWeakTable<KeyValue, StoredObject> _decoded = [];

    public ObjectStore(IStore store)
    {
        Store = store;
    }

    public IStore Store { get; }

    /// <summary>The key prefix of the resource's objects (of its <see cref="ResourceInfo.Storage"/>: every version of a kind shares its keys).</summary>
    public static string Prefix(ResourceInfo resource, string? ns) =>
        "/registry/" + (resource.Storage.Group.Length == 0 ? "core" : resource.Storage.Group) + "/" + resource.Storage.Plural + "/" + (ns is null ? "" : ns + "/");

    public static string Key(ResourceInfo resource, string? ns, string name) => Prefix(resource, resource.Namespaced ? ns : null) + name;

    /// <summary>
    /// The shared view of a stored value (one per value instance; decoded lazily). A value seen in another version
    /// than its stored one gets a view of its own each time (only the stored version's views are shared).
    /// </summary>
    public StoredObject Decode(ResourceInfo resource, KeyValue kv) =>
        resource.Converter is null ? _decoded.GetValue(kv, k => new StoredObject(resource, k)) : new StoredObject(resource, kv);

    /// <summary>The view of a value this server just wrote from <paramref name="obj"/>, which is reused rather than decoded.</summary>
    public StoredObject Written(ResourceInfo resource, KeyValue kv, IKubernetesObject<V1ObjectMeta> obj)
    {
        obj.Metadata.ResourceVersion = kv.ModRevision.ToString(CultureInfo.InvariantCulture);
        var stored = new StoredObject(resource, kv, obj);
        if (resource.Converter is null)
        {
            _decoded.AddOrUpdate(kv, stored);
        }

        return stored;
    }

    /// <summary>The stored form of <paramref name="obj"/>: its JSON without resourceVersion, converted to the stored version.</summary>
    public static byte[] Encode(ResourceInfo resource, IKubernetesObject<V1ObjectMeta> obj)
    {
        var rv = obj.Metadata.ResourceVersion;
        obj.Metadata.ResourceVersion = null;
        try
        {
            var json = KubernetesJson.Serialize(obj);
            return resource.Converter is { } converter
                ? Encoding.UTF8.GetBytes(converter.ToStorage(JsonNode.Parse(json)!.AsObject()).ToJsonString())
                : Encoding.UTF8.GetBytes(json);
        }
        finally
        {
            obj.Metadata.ResourceVersion = rv;
        }
    }

    public async ValueTask<StoredObject?> GetAsync(ResourceInfo resource, string? ns, string name, CancellationToken cancellationToken)
    {
        var kv = await Store.GetAsync(Key(resource, ns, name), cancellationToken).ConfigureAwait(false);
        return kv is null ? null : Decode(resource, kv);
    }
}
