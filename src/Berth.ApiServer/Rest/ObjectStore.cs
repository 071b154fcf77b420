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

    public static string Prefix(ResourceInfo resource, string? ns) =>
        "/registry/" + (resource.Group.Length == 0 ? "core" : resource.Group) + "/" + resource.Plural + "/" + (ns is null ? "" : ns + "/");

    public static string Key(ResourceInfo resource, string? ns, string name) => Prefix(resource, resource.Namespaced ? ns : null) + name;

    /// <summary>Decodes a stored value (once per value instance) and sets its resourceVersion.</summary>
    public StoredObject Decode(ResourceInfo resource, KeyValue kv) =>
        _decoded.GetValue(kv, k =>
        {
            var obj = resource.Decode(JsonNode.Parse(k.Value.Span)!);
            obj.Metadata ??= new V1ObjectMeta();
            obj.Metadata.ResourceVersion = k.ModRevision.ToString(CultureInfo.InvariantCulture);
            return new StoredObject(k, obj);
        });

    public static byte[] Encode(IKubernetesObject<V1ObjectMeta> obj)
    {
        var rv = obj.Metadata.ResourceVersion;
        obj.Metadata.ResourceVersion = null;
        try
        {
            return Encoding.UTF8.GetBytes(KubernetesJson.Serialize(obj));
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
