using k8s.Models;

namespace Berth.Client.Tests.Infrastructure;

internal static class Objects
{
    public static V1ConfigMap ConfigMap(string ns, string name, string value = "1", IDictionary<string, string>? labels = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, Labels = labels },
        Data = new Dictionary<string, string> { ["value"] = value },
    };
}
