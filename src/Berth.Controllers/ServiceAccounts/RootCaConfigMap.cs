using k8s.Models;

namespace Berth.Controllers.ServiceAccounts;

/// <summary>
/// The root-ca-cert-publisher's object: the <c>kube-root-ca.crt</c> ConfigMap holding the cluster CA as <c>ca.crt</c>,
/// with Kubernetes' description annotation; other data is put back to that one key, and a missing or empty description
/// annotation is added (<c>syncNamespace</c>).
/// </summary>
public sealed class RootCaConfigMap : INamespaceObject<V1ConfigMap>
{
    public const string ConfigMapName = "kube-root-ca.crt";
    public const string DescriptionAnnotation = "kubernetes.io/description";

    /// <summary><c>rootcacertpublisher.descriptionAnnotation</c>'s value.</summary>
    public const string Description = "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.";

    private readonly string _caPem;

    public RootCaConfigMap(string caPem)
    {
        ArgumentException.ThrowIfNullOrEmpty(caPem);
        _caPem = caPem;
    }

    public string Name => ConfigMapName;

    public V1ConfigMap Desired(string ns) => new()
    {
        ApiVersion = "v1",
        Kind = "ConfigMap",
        Metadata = new V1ObjectMeta { Name = Name, NamespaceProperty = ns, Annotations = new Dictionary<string, string> { [DescriptionAnnotation] = Description } },
        Data = new Dictionary<string, string> { ["ca.crt"] = _caPem },
    };

    public V1ConfigMap? Repair(V1ConfigMap existing)
    {
        ArgumentNullException.ThrowIfNull(existing);
        var data = existing.Data;
        var annotations = existing.Metadata.Annotations;
        if (data is { Count: 1 } && data.TryGetValue("ca.crt", out var ca) && ca == _caPem
            && annotations?.TryGetValue(DescriptionAnnotation, out var description) == true && description.Length > 0)
        {
            return null;
        }

        var repaired = Common.ObjectCopy.Clone(existing);
        repaired.Data = new Dictionary<string, string> { ["ca.crt"] = _caPem };
        repaired.Metadata.Annotations ??= new Dictionary<string, string>();
        repaired.Metadata.Annotations.TryAdd(DescriptionAnnotation, Description);
        return repaired;
    }
}
