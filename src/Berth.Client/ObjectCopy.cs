using k8s;

namespace Berth.Client;

/// <summary>
/// Deep copies of KubernetesClient models. Objects handed out by an informer are shared with its cache and every
/// other handler: clone before changing one.
/// </summary>
public static class ObjectCopy
{
    /// <summary>A deep copy made by a <see cref="KubernetesJson"/> round trip (the models have no copy constructor).</summary>
    public static T Clone<T>(T obj)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(obj);
        return KubernetesJson.Deserialize<T>(KubernetesJson.Serialize(obj));
    }
}
