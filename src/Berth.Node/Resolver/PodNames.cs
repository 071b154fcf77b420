using k8s.Models;

namespace Berth.Node.Resolver;

/// <summary>
/// A pod's names, as the kubelet's <c>GeneratePodHostNameAndDomain</c> (pkg/kubelet/kubelet_pods.go) and
/// <c>GetNodenameForKernel</c> (pkg/kubelet/util) make them.
/// </summary>
/// <param name="Hostname"><c>spec.hostname</c> or the pod's name, cut to 63 characters without a trailing <c>-</c> or <c>.</c>.</param>
/// <param name="Domain"><c>&lt;subdomain&gt;.&lt;ns&gt;.svc.&lt;zone&gt;</c> when <c>spec.subdomain</c> is set, else empty.</param>
/// <param name="KernelHostname">
/// The host name the pod's processes see (<c>uname -n</c>, <c>HOSTNAME</c>): <see cref="Hostname"/>, or the FQDN with
/// <c>setHostnameAsFQDN</c>.
/// </param>
internal sealed record PodNames(string Hostname, string Domain, string KernelHostname)
{
    /// <summary>Linux' nodename field holds 64 characters (kubelet: fqdnMaxLen).</summary>
    public const int MaxKernelHostname = 64;

    private const int MaxHostname = 63;

    /// <summary>The names of <paramref name="pod"/>, or why the pod cannot start (an FQDN longer than 64 characters).</summary>
    public static (PodNames? Names, string? Error) Of(V1Pod pod, string clusterDomain)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var spec = pod.Spec;
        var hostname = string.IsNullOrEmpty(spec?.Hostname) ? pod.Metadata.Name : spec.Hostname;
        if (hostname.Length > MaxHostname)
        {
            hostname = hostname[..MaxHostname].TrimEnd('-', '.');
        }

        var domain = string.IsNullOrEmpty(spec?.Subdomain)
            ? string.Empty
            : spec.Subdomain + "." + (pod.Metadata.NamespaceProperty ?? "default") + ".svc." + clusterDomain;
        var kernel = hostname;
        if (domain.Length > 0 && spec?.SetHostnameAsFQDN == true)
        {
            kernel = hostname + "." + domain;
            if (kernel.Length > MaxKernelHostname)
            {
                return (null, $"failed to construct FQDN from pod hostname and cluster domain, FQDN {kernel} is too long ({MaxKernelHostname} characters is the max, {kernel.Length} characters requested)");
            }
        }

        return (new PodNames(hostname, domain, kernel), null);
    }
}
