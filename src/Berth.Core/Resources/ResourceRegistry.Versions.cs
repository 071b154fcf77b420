using Berth.Core.Conversion;
using Berth.Core.Strategies;
using Berth.Core.Tables;
using k8s;
using k8s.Models;

namespace Berth.Core.Resources;

public sealed partial class ResourceRegistry
{
    /// <summary>
    /// The kinds of <see cref="Kinds"/> served in further versions, each from the stored objects of its registration
    /// there (<see cref="ResourceInfo.StoredAs"/>), converted on the way in and out.
    /// </summary>
    private static IEnumerable<ResourceInfo> OtherVersions(IReadOnlyList<ResourceInfo> kinds)
    {
        var hpa = kinds.Single(r => r.Group == "autoscaling" && r.Kind == "HorizontalPodAutoscaler");
        yield return View<V1HorizontalPodAutoscaler>(hpa, "autoscaling", "v1", new HorizontalPodAutoscalerConversion(), "AutoscalingV1HorizontalPodAutoscaler");
    }

    /// <summary>All registrations: <see cref="Kinds"/>, then <see cref="OtherVersions"/> (a kind's first registration is its preferred version).</summary>
    private static List<ResourceInfo> AllVersions()
    {
        var kinds = Kinds().ToList();
        return [.. kinds, .. OtherVersions(kinds)];
    }

    /// <summary>
    /// <paramref name="storage"/>'s kind in <paramref name="group"/>/<paramref name="version"/>: the same names,
    /// scope and subresources, its model type, and the stored version's strategy and printer behind the conversion.
    /// </summary>
    private static ResourceInfo View<T>(ResourceInfo storage, string group, string version, IVersionConverter converter, string? protobufMessage)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        static IKubernetesObject<V1ObjectMeta> Decode(System.Text.Json.Nodes.JsonNode node) => KubernetesJson.Deserialize<T>(node.ToJsonString());
        var strategy = new ConvertedStrategy(storage, converter, Decode);
        return storage with
        {
            Group = group,
            Version = version,
            ModelType = typeof(T),
            Strategy = strategy,
            Printer = new ConvertedTablePrinter(storage.Printer, strategy),
            ProtobufMessage = protobufMessage,
            Decode = Decode,
            StoredAs = storage,
            Converter = converter,
        };
    }
}
