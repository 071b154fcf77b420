using Berth.Client;
using k8s.Models;

namespace Berth.Controllers.Tests.EndpointSlices;

/// <summary>
/// Plays the node agent for the endpoint controllers' integration tests: registers a Node, creates pods bound to it
/// and writes their status (IP, phase Running, Ready condition) through the status subresource.
/// </summary>
internal sealed class FakeKubelet
{
    public const string NodeName = "node-endpoints";
    public const string Zone = "zone-a";

    private readonly IApiClient _client;
    private readonly string _ns;

    public FakeKubelet(IApiClient client, string ns)
    {
        _client = client;
        _ns = ns;
    }

    public static Dictionary<string, string> WebLabels => new() { ["app"] = "web" };

    /// <summary>Creates the shared Node once (cluster-scoped, so tests of one server share it).</summary>
    public async Task RegisterNodeAsync()
    {
        var node = new V1Node
        {
            Metadata = new V1ObjectMeta { Name = NodeName, Labels = new Dictionary<string, string> { ["topology.kubernetes.io/zone"] = Zone } },
        };
        try
        {
            await _client.CreateAsync(node, CancellationToken.None);
        }
        catch (ApiException e) when (e.IsAlreadyExists)
        {
        }
    }

    /// <summary>Creates a pod on the node and reports it running with <paramref name="ip"/>.</summary>
    public async Task<V1Pod> RunPodAsync(string name, string ip, bool ready = true, IDictionary<string, string>? labels = null, params V1ContainerPort[] ports)
    {
        var pod = new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = _ns, Labels = labels ?? WebLabels },
            Spec = new V1PodSpec
            {
                NodeName = NodeName,
                Containers = [new V1Container { Name = "main", Image = "busybox", Ports = ports.Length == 0 ? null : ports }],
            },
        };
        var created = await _client.CreateAsync(pod, CancellationToken.None);
        created.Status = new V1PodStatus
        {
            Phase = "Running",
            PodIP = ip,
            PodIPs = [new V1PodIP { Ip = ip }],
            Conditions = [Ready(ready)],
        };
        return await _client.UpdateStatusAsync(created, CancellationToken.None);
    }

    /// <summary>Flips the pod's Ready condition.</summary>
    public async Task<V1Pod> SetReadyAsync(string name, bool ready)
    {
        var pod = await _client.GetAsync<V1Pod>(_ns, name, CancellationToken.None) ?? throw new InvalidOperationException(name + " not found");
        pod.Status.Conditions = [Ready(ready)];
        return await _client.UpdateStatusAsync(pod, CancellationToken.None);
    }

    public static V1ContainerPort Port(string name, int number, string protocol = "TCP") =>
        new() { Name = name, ContainerPort = number, Protocol = protocol };

    private static V1PodCondition Ready(bool ready) =>
        new() { Type = "Ready", Status = ready ? "True" : "False", LastTransitionTime = DateTime.UtcNow };
}
