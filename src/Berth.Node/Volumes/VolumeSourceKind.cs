using System.Text.Json;
using k8s;
using k8s.Models;

namespace Berth.Node.Volumes;

/// <summary>The name of a volume's source as the API spells it (<c>persistentVolumeClaim</c>, <c>nfs</c>, <c>csi</c>, …).</summary>
internal static class VolumeSourceKind
{
    public static string Of(V1Volume volume)
    {
        using var document = JsonDocument.Parse(KubernetesJson.Serialize(volume));
        foreach (var property in document.RootElement.EnumerateObject())
        {
            if (property.Name != "name" && property.Value.ValueKind != JsonValueKind.Null)
            {
                return property.Name;
            }
        }

        return "unknown";
    }
}
