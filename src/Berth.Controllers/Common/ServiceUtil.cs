using k8s.Models;

namespace Berth.Controllers.Common;

/// <summary>Service predicates shared by the endpoint planners.</summary>
internal static class ServiceUtil
{
    /// <summary>True when the Service has a cluster IP (<c>helper.IsServiceIPSet</c>); false for headless.</summary>
    public static bool HasClusterIp(V1Service service) =>
        !string.IsNullOrEmpty(service.Spec?.ClusterIP) && service.Spec.ClusterIP != "None";

    /// <summary>Hostname is published iff spec.hostname is set and spec.subdomain names this Service (§4.1).</summary>
    public static bool ShouldSetHostname(V1Pod pod, V1Service service) =>
        !string.IsNullOrEmpty(pod.Spec?.Hostname)
        && pod.Spec.Subdomain == service.Metadata?.Name
        && pod.Metadata?.NamespaceProperty == service.Metadata?.NamespaceProperty;

    /// <summary>An owner reference that makes <paramref name="owner"/> the controller (<c>metav1.NewControllerRef</c>).</summary>
    public static V1OwnerReference ControllerRef(V1ObjectMeta owner, string apiVersion, string kind) =>
        new()
        {
            ApiVersion = apiVersion,
            Kind = kind,
            Name = owner.Name,
            Uid = owner.Uid,
            Controller = true,
            BlockOwnerDeletion = true,
        };

    /// <summary>
    /// The generateName prefix <c>&lt;name&gt;-</c>, or the bare name when the dash would make an invalid
    /// DNS-1123 subdomain (over 253 characters).
    /// </summary>
    public static string GenerateNamePrefix(string name) => name.Length + 1 <= 253 ? name + "-" : name;

    public static bool IsIPv6(string ip) =>
        System.Net.IPAddress.TryParse(ip, out var address) && address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6;
}
