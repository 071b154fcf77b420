using Berth.Core.Errors;
using Berth.Core.Validation;
using k8s.Models;

namespace Berth.Core.Strategies;

public static partial class ServiceValidation
{
    private static readonly string[] _supportedFamilies = [IPAddresses.IPv4, IPAddresses.IPv6];
    private static readonly string[] _supportedFamilyPolicies = ["PreferDualStack", "RequireDualStack", "SingleStack"];

    /// <summary>
    /// <c>ValidateServiceClusterIPsRelatedFields</c>: the loose, cluster-independent check of
    /// <c>clusterIP</c>/<c>clusterIPs</c>/<c>ipFamilies</c>/<c>ipFamilyPolicy</c> that the allocator
    /// also runs before allocating.
    /// </summary>
    public static IReadOnlyList<FieldError> ClusterIPsRelatedFields(V1Service service)
    {
        ArgumentNullException.ThrowIfNull(service);
        var errors = new List<FieldError>();
        var spec = service.Spec ?? new V1ServiceSpec();
        if (spec.Type == "ExternalName")
        {
            return errors;
        }

        var clusterIPsPath = _specPath.Child("clusterIPs");
        var ips = spec.ClusterIPs ?? [];
        var rendered = GoSyntax.StringSlice(spec.ClusterIPs);
        if (!string.IsNullOrEmpty(spec.ClusterIP))
        {
            if (ips.Count == 0)
            {
                errors.Add(FieldError.Required(clusterIPsPath));
            }
            else if (ips[0] != spec.ClusterIP)
            {
                errors.Add(FieldError.InvalidRendered(clusterIPsPath, rendered, "first value must match `clusterIP`"));
            }
        }
        else if (ips.Count != 0)
        {
            errors.Add(FieldError.InvalidRendered(clusterIPsPath, rendered, "must be empty when `clusterIP` is not specified"));
        }

        var families = spec.IpFamilies ?? [];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < families.Count; i++)
        {
            if (!_supportedFamilies.Contains(families[i]))
            {
                errors.Add(FieldError.NotSupported(_specPath.Child("ipFamilies").Index(i), families[i], _supportedFamilies));
            }

            if (!seen.Add(families[i] ?? ""))
            {
                errors.Add(FieldError.Duplicate(_specPath.Child("ipFamilies").Index(i), families[i]));
            }
        }

        if (spec.IpFamilyPolicy is not null && !_supportedFamilyPolicies.Contains(spec.IpFamilyPolicy))
        {
            errors.Add(FieldError.NotSupported(_specPath.Child("ipFamilyPolicy"), spec.IpFamilyPolicy, _supportedFamilyPolicies));
        }

        var hasInvalidIPs = false;
        for (var i = 0; i < ips.Count; i++)
        {
            if (i == 0 && ips[i] == ServiceDefaults.ClusterIPNone)
            {
                if (ips.Count > 1)
                {
                    hasInvalidIPs = true;
                    errors.Add(FieldError.InvalidRendered(clusterIPsPath, rendered, "'None' must be the first and only value"));
                }

                continue;
            }

            var ipErrors = FieldValidators.IP(ips[i], clusterIPsPath.Index(i)).ToList();
            hasInvalidIPs |= ipErrors.Count != 0;
            errors.AddRange(ipErrors);
        }

        if (ips.Count > 2)
        {
            errors.Add(FieldError.InvalidRendered(clusterIPsPath, rendered, "may only hold up to 2 values"));
        }

        // Further checks would only repeat the problem of a bad IP at another index.
        if (hasInvalidIPs)
        {
            return errors;
        }

        if (ips.Count > 1 && !(ips.Count == 2 && IPAddresses.FamilyOf(ips[0]) != IPAddresses.FamilyOf(ips[1])))
        {
            errors.Add(FieldError.InvalidRendered(clusterIPsPath, rendered, "may specify no more than one IP for each IP family"));
        }

        if (!ServiceDefaults.IsHeadless(service) && ips.Count > 0 && families.Count > 0)
        {
            for (var i = 0; i < ips.Count && i < families.Count; i++)
            {
                var isV6 = IPAddresses.FamilyOf(ips[i]) == IPAddresses.IPv6;
                if (families[i] == IPAddresses.IPv4 && isV6)
                {
                    errors.Add(FieldError.Invalid(clusterIPsPath.Index(i), ips[i], "expected an IPv4 value as indicated by `ipFamilies[" + i + "]`"));
                }

                if (families[i] == IPAddresses.IPv6 && !isV6)
                {
                    errors.Add(FieldError.Invalid(clusterIPsPath.Index(i), ips[i], "expected an IPv6 value as indicated by `ipFamilies[" + i + "]`"));
                }
            }
        }

        return errors;
    }

    /// <summary>
    /// The error half of the allocator's <c>initIPFamilyFields</c>: policy vs. number of IPs/families,
    /// and families this cluster does not serve (§1.5).
    /// </summary>
    public static IReadOnlyList<FieldError> IPFamilyFields(V1Service service, ServiceNetworkOptions network)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(network);
        var errors = new List<FieldError>();
        var spec = service.Spec ?? new V1ServiceSpec();
        if (spec.Type == "ExternalName")
        {
            return errors;
        }

        // Headless without selector may carry both families even on a single-stack cluster.
        if (spec.ClusterIP == ServiceDefaults.ClusterIPNone && (spec.Selector is null || spec.Selector.Count == 0))
        {
            return errors;
        }

        var ips = spec.ClusterIPs ?? [];
        var numIPs = ips.Count > 0 && ips[0] == ServiceDefaults.ClusterIPNone ? 0 : ips.Count;
        var families = spec.IpFamilies ?? [];
        var policyPath = _specPath.Child("ipFamilyPolicy");
        if ((families.Count > 1 || numIPs > 1) && spec.IpFamilyPolicy == "SingleStack")
        {
            errors.Add(FieldError.Invalid(policyPath, spec.IpFamilyPolicy, numIPs > 1
                ? "must be 'RequireDualStack' or 'PreferDualStack' when multiple cluster IPs are specified"
                : "must be 'RequireDualStack' or 'PreferDualStack' when multiple IP families are specified"));
        }

        for (var i = 0; i < numIPs; i++)
        {
            var family = IPAddresses.FamilyOf(ips[i]);
            if (i >= families.Count && family is not null && !network.Supports(family))
            {
                errors.Add(FieldError.InvalidRendered(_specPath.Child("clusterIPs").Index(i), GoSyntax.StringSlice(ips), family + " is not configured on this cluster"));
            }
        }

        if (errors.Count != 0)
        {
            return errors;
        }

        if (spec.IpFamilyPolicy == "RequireDualStack" && !network.IsDualStack)
        {
            errors.Add(FieldError.Invalid(policyPath, spec.IpFamilyPolicy, "this cluster is not configured for dual-stack services"));
        }

        for (var i = 0; i < families.Count; i++)
        {
            if (_supportedFamilies.Contains(families[i]) && !network.Supports(families[i]))
            {
                errors.Add(FieldError.Invalid(_specPath.Child("ipFamilies").Index(i), families[i], "not configured on this cluster"));
            }
        }

        return errors;
    }

    /// <summary><c>validateUpgradeDowngradeClusterIPs</c>: the primary IP is immutable; dropping the secondary needs SingleStack.</summary>
    private static void UpgradeDowngradeClusterIPs(V1Service old, V1Service service, List<FieldError> errors)
    {
        if (service.Spec?.Type == "ExternalName" || old.Spec?.Type == "ExternalName")
        {
            return;
        }

        if (ServiceDefaults.IsHeadless(old) && ServiceDefaults.IsHeadless(service))
        {
            return;
        }

        var oldIPs = old.Spec?.ClusterIPs ?? [];
        var newIPs = service.Spec?.ClusterIPs ?? [];
        var rendered = GoSyntax.StringSlice(service.Spec?.ClusterIPs);
        var first = _specPath.Child("clusterIPs").Index(0);
        if (oldIPs.Count == newIPs.Count)
        {
            for (var i = 0; i < oldIPs.Count; i++)
            {
                if (oldIPs[i] != newIPs[i])
                {
                    errors.Add(FieldError.InvalidRendered(_specPath.Child("clusterIPs").Index(i), rendered, "may not change once set"));
                }
            }
        }
        else if (oldIPs.Count > newIPs.Count)
        {
            if (newIPs.Count == 0)
            {
                errors.Add(FieldError.InvalidRendered(first, rendered, "primary clusterIP can not be unset"));
            }

            if (oldIPs.Count > 0 && newIPs.Count > 0 && newIPs[0] != oldIPs[0])
            {
                errors.Add(FieldError.InvalidRendered(first, rendered, "may not change once set"));
            }

            if (newIPs.Count == 1 && service.Spec?.IpFamilyPolicy != "SingleStack")
            {
                errors.Add(FieldError.InvalidRendered(_specPath.Child("ipFamilyPolicy"), GoSyntax.Pointer(service.Spec?.IpFamilyPolicy), "must be set to 'SingleStack' when releasing the secondary clusterIP"));
            }
        }
        else if (oldIPs.Count > 0 && newIPs[0] != oldIPs[0])
        {
            errors.Add(FieldError.InvalidRendered(first, rendered, "may not change once set"));
        }
    }

    /// <summary><c>validateUpgradeDowngradeIPFamilies</c> (including upstream's choice of rendered values).</summary>
    private static void UpgradeDowngradeIPFamilies(V1Service old, V1Service service, List<FieldError> errors)
    {
        if (service.Spec?.Type == "ExternalName" || old.Spec?.Type == "ExternalName")
        {
            return;
        }

        if (ServiceDefaults.IsHeadless(old) || ServiceDefaults.IsHeadless(service))
        {
            return;
        }

        var oldFamilies = old.Spec?.IpFamilies ?? [];
        var newFamilies = service.Spec?.IpFamilies ?? [];
        var first = _specPath.Child("ipFamilies").Index(0);
        var renderedFamilies = GoSyntax.StringSlice(service.Spec?.IpFamilies, "[]core.IPFamily");
        var renderedIPs = GoSyntax.StringSlice(service.Spec?.ClusterIPs);
        if (oldFamilies.Count == newFamilies.Count)
        {
            for (var i = 0; i < oldFamilies.Count; i++)
            {
                if (oldFamilies[i] != newFamilies[i])
                {
                    errors.Add(FieldError.InvalidRendered(first, renderedFamilies, "may not change once set"));
                }
            }
        }
        else if (oldFamilies.Count > newFamilies.Count)
        {
            if ((service.Spec?.ClusterIPs?.Count ?? 0) == 0)
            {
                errors.Add(FieldError.InvalidRendered(first, renderedFamilies, "primary ipFamily can not be unset"));
            }

            if (newFamilies.Count > 0 && newFamilies[0] != oldFamilies[0])
            {
                errors.Add(FieldError.InvalidRendered(first, renderedIPs, "may not change once set"));
            }

            if (newFamilies.Count == 1 && service.Spec?.IpFamilyPolicy != "SingleStack")
            {
                errors.Add(FieldError.InvalidRendered(_specPath.Child("ipFamilyPolicy"), GoSyntax.Pointer(service.Spec?.IpFamilyPolicy), "must be set to 'SingleStack' when releasing the secondary ipFamily"));
            }
        }
        else if (oldFamilies.Count > 0 && newFamilies.Count > 0 && newFamilies[0] != oldFamilies[0])
        {
            errors.Add(FieldError.InvalidRendered(first, renderedIPs, "may not change once set"));
        }
    }
}
