using Berth.Core.Errors;
using Berth.Core.Strategies;
using k8s.Models;

namespace Berth.Core.Tests.Strategies;

/// <summary>Builds Services and runs them through the strategy in the API server's order.</summary>
internal static class ServiceFixtures
{
    public static V1Service Service(Action<V1ServiceSpec>? configure = null, string name = "web")
    {
        var svc = new V1Service
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default" },
            Spec = new V1ServiceSpec
            {
                Selector = new Dictionary<string, string> { ["app"] = "web" },
                Ports = [new V1ServicePort { Port = 80 }],
            },
        };
        configure?.Invoke(svc.Spec);
        return svc;
    }

    public static IReadOnlyList<FieldError> Create(V1Service svc)
    {
        var strategy = new ServiceStrategy();
        strategy.PrepareForCreate(svc);
        strategy.Default(svc);
        return strategy.Validate(svc);
    }

    /// <summary>A stored Service as the allocator would have left it.</summary>
    public static V1Service Stored(Action<V1ServiceSpec>? configure = null)
    {
        var svc = Service(configure);
        var strategy = new ServiceStrategy();
        strategy.PrepareForCreate(svc);
        strategy.Default(svc);
        svc.Metadata.Uid = "uid-1";
        svc.Metadata.ResourceVersion = "1";
        return svc;
    }

    public static IReadOnlyList<FieldError> Update(V1Service svc, V1Service old, bool statusOnly = false)
    {
        var strategy = new ServiceStrategy();
        strategy.PrepareForUpdate(svc, old, statusOnly);
        strategy.Default(svc);
        return strategy.ValidateUpdate(svc, old);
    }

    public static V1Service Copy(V1Service svc) => k8s.KubernetesJson.Deserialize<V1Service>(k8s.KubernetesJson.Serialize(svc));

    public static string[] Render(IEnumerable<FieldError> errors) => errors.Select(e => e.ToString()).ToArray();
}
