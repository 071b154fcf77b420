using k8s.Models;

namespace Berth.ApiServer.Tests.Infrastructure;

/// <summary>Small builders for the objects tests create.</summary>
public static class Objects
{
    public static V1Service Service(string name, int port = 80, string? type = null, IDictionary<string, string>? labels = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Labels = labels },
        Spec = new V1ServiceSpec
        {
            Type = type,
            Selector = new Dictionary<string, string> { ["app"] = name },
            Ports = [new V1ServicePort { Port = port, TargetPort = 8080 }],
        },
    };

    public static V1Pod Pod(string name, IDictionary<string, string>? labels = null, string? nodeName = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Labels = labels ?? new Dictionary<string, string> { ["app"] = name } },
        Spec = new V1PodSpec
        {
            NodeName = nodeName,
            Containers = [new V1Container { Name = "main", Image = "berth/agnhost", Command = ["sleep", "3600"] }],
        },
    };

    public static V1Deployment Deployment(string name, int replicas = 1) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1DeploymentSpec
        {
            Replicas = replicas,
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = name } },
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = name } },
                Spec = new V1PodSpec { Containers = [new V1Container { Name = "web", Image = "nginx:1.27" }] },
            },
        },
    };

    public static V1Namespace Namespace(string name) => new() { Metadata = new V1ObjectMeta { Name = name } };
}
