using k8s;

namespace Berth.Core.Strategies;

/// <summary>Deep copies and deep comparison of KubernetesClient models through their JSON form (the models have shallow equality).</summary>
internal static class ModelCopy
{
    public static T? Clone<T>(T? value)
        where T : class =>
        value is null ? null : KubernetesJson.Deserialize<T>(KubernetesJson.Serialize(value));

    public static bool SemanticEqual<T>(T? a, T? b)
        where T : class =>
        KubernetesJson.Serialize(a) == KubernetesJson.Serialize(b);
}
