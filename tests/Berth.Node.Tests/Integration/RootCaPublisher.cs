using Berth.ApiServer;
using Berth.Controllers;
using Berth.Controllers.ServiceAccounts;
using k8s.Models;

namespace Berth.Node.Tests.Integration;

/// <summary>
/// The root-ca-cert-publisher for the fixtures' control planes: every admitted pod carries the projected
/// <c>kube-api-access-*</c> volume, whose <c>kube-root-ca.crt</c> ConfigMap the node agent waits for (FailedMount) as
/// the kubelet does — so a control plane without this controller starts no pod, as a Kubernetes one would not.
/// </summary>
internal static class RootCaPublisher
{
    public static void AddTo(ControllerManager manager, ApiServerHost host) =>
        manager.Add(m => new NamespaceObjectController<V1ConfigMap>(m, "root-ca-cert-publisher", new RootCaConfigMap(host.Credentials.CaPem)));
}
