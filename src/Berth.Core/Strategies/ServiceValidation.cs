using Berth.Core.Errors;
using Berth.Core.Validation;
using k8s.Models;

namespace Berth.Core.Strategies;

/// <summary>
/// <c>ValidateService</c> and friends of pkg/apis/core/validation/validation.go: same checks, field
/// paths and messages (§2.2 of docs/kubernetes-services.md), minus the allocator's range/in-use
/// checks. Object metadata is validated by the strategy base, not here.
/// </summary>
public static partial class ServiceValidation
{
    private static readonly FieldPath _specPath = FieldPath.Root("spec");
    private static readonly string[] _supportedTypes = ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"];
    private static readonly string[] _supportedAffinities = ["ClientIP", "None"];
    private static readonly string[] _supportedProtocols = ["SCTP", "TCP", "UDP"];
    private static readonly string[] _supportedTrafficPolicies = ["Cluster", "Local"];
    private static readonly string[] _supportedTrafficDistributions = ["PreferClose", "PreferSameNode", "PreferSameZone"];
    private const int MaxClientIPAffinitySeconds = 86400;
    private const string TopologyModeAnnotation = "service.kubernetes.io/topology-mode";
    private const string TopologyHintsAnnotation = "service.kubernetes.io/topology-aware-hints";
    private const string SourceRangesAnnotation = "service.beta.kubernetes.io/load-balancer-source-ranges";

    /// <summary>All spec rules of <c>ValidateService</c> plus the IP-family checks for <paramref name="network"/>.</summary>
    public static IReadOnlyList<FieldError> Validate(V1Service service, ServiceNetworkOptions network)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(network);
        var errors = new List<FieldError>();
        var spec = service.Spec ?? new V1ServiceSpec();
        var annotations = service.Metadata?.Annotations;
        var headless = ServiceDefaults.IsHeadless(service);

        if (annotations is not null && annotations.TryGetValue(TopologyModeAnnotation, out var mode) &&
            annotations.TryGetValue(TopologyHintsAnnotation, out var hints) && mode != hints)
        {
            errors.Add(FieldError.Invalid(FieldPath.Root("metadata").Child("annotations").Key(TopologyModeAnnotation), mode, "must match annotations[" + TopologyHintsAnnotation + "] when both are specified"));
        }

        var ports = spec.Ports ?? [];
        if (ports.Count == 0 && !headless && spec.Type != "ExternalName")
        {
            errors.Add(FieldError.Required(_specPath.Child("ports")));
        }

        switch (spec.Type)
        {
            case "LoadBalancer" when headless:
                errors.Add(FieldError.Invalid(_specPath.Child("clusterIPs").Index(0), spec.ClusterIPs![0], "may not be set to 'None' for LoadBalancer services"));
                break;
            case "NodePort" when headless:
                errors.Add(FieldError.Invalid(_specPath.Child("clusterIPs").Index(0), spec.ClusterIPs![0], "may not be set to 'None' for NodePort services"));
                break;
            case "ExternalName":
                ValidateExternalName(spec, errors);
                break;
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < ports.Count; i++)
        {
            ValidatePort(ports[i], ports.Count > 1, names, _specPath.Child("ports").Index(i), errors);
        }

        if (spec.Selector is not null)
        {
            errors.AddRange(FieldValidators.Labels(spec.Selector, _specPath.Child("selector")));
        }

        ValidateSessionAffinity(spec, errors);
        var ipErrors = ClusterIPsRelatedFields(service);
        errors.AddRange(ipErrors);
        if (ipErrors.Count == 0)
        {
            errors.AddRange(IPFamilyFields(service, network));
        }

        var externalIPs = spec.ExternalIPs ?? [];
        for (var i = 0; i < externalIPs.Count; i++)
        {
            var path = _specPath.Child("externalIPs").Index(i);
            var ipErrs = FieldValidators.IP(externalIPs[i], path).ToList();
            errors.AddRange(ipErrs.Count != 0 ? ipErrs : FieldValidators.NonSpecialIP(externalIPs[i], path));
        }

        if (string.IsNullOrEmpty(spec.Type))
        {
            errors.Add(FieldError.Required(_specPath.Child("type")));
        }
        else if (!_supportedTypes.Contains(spec.Type))
        {
            errors.Add(FieldError.NotSupported(_specPath.Child("type"), spec.Type, _supportedTypes));
        }

        if (spec.Type == "ClusterIP")
        {
            for (var i = 0; i < ports.Count; i++)
            {
                if ((ports[i].NodePort ?? 0) != 0)
                {
                    errors.Add(FieldError.Forbidden(_specPath.Child("ports").Index(i).Child("nodePort"), "may not be used when `type` is 'ClusterIP'"));
                }
            }
        }

        ValidateDuplicatePorts(ports, errors);
        ValidateLoadBalancerFields(service, errors);
        ValidateTrafficPolicies(service, errors);
        return errors;
    }

    private static void ValidateExternalName(V1ServiceSpec spec, List<FieldError> errors)
    {
        if ((spec.ClusterIPs?.Count ?? 0) > 0)
        {
            errors.Add(FieldError.Forbidden(_specPath.Child("clusterIPs"), "may not be set for ExternalName services"));
        }

        if ((spec.IpFamilies?.Count ?? 0) > 0)
        {
            errors.Add(FieldError.Forbidden(_specPath.Child("ipFamilies"), "may not be set for ExternalName services"));
        }

        if (spec.IpFamilyPolicy is not null)
        {
            errors.Add(FieldError.Forbidden(_specPath.Child("ipFamilyPolicy"), "may not be set for ExternalName services"));
        }

        // The value (a CNAME) may have a trailing dot to denote it as fully qualified.
        var name = spec.ExternalName ?? "";
        var cname = name.EndsWith('.') ? name[..^1] : name;
        if (cname.Length > 0)
        {
            errors.AddRange(FieldValidators.DNS1123Subdomain(cname, _specPath.Child("externalName")));
        }
        else
        {
            errors.Add(FieldError.Required(_specPath.Child("externalName")));
        }
    }

    private static void ValidatePort(V1ServicePort port, bool requireName, HashSet<string> names, FieldPath path, List<FieldError> errors)
    {
        var name = port.Name ?? "";
        if (requireName && name.Length == 0)
        {
            errors.Add(FieldError.Required(path.Child("name")));
        }
        else if (name.Length != 0)
        {
            errors.AddRange(FieldValidators.DNS1123Label(name, path.Child("name")));
            if (!names.Add(name))
            {
                errors.Add(FieldError.Duplicate(path.Child("name"), name));
            }
        }

        errors.AddRange(ContentValidation.IsValidPortNum(port.Port).Select(m => FieldError.Invalid(path.Child("port"), port.Port, m)));
        if (string.IsNullOrEmpty(port.Protocol))
        {
            errors.Add(FieldError.Required(path.Child("protocol")));
        }
        else if (!_supportedProtocols.Contains(port.Protocol))
        {
            errors.Add(FieldError.NotSupported(path.Child("protocol"), port.Protocol, _supportedProtocols));
        }

        errors.AddRange(FieldValidators.PortNumOrName(port.TargetPort, path.Child("targetPort")));
        if (port.AppProtocol is not null)
        {
            errors.AddRange(FieldValidators.QualifiedName(port.AppProtocol, path.Child("appProtocol")));
        }
    }

    private static void ValidateSessionAffinity(V1ServiceSpec spec, List<FieldError> errors)
    {
        var path = _specPath.Child("sessionAffinityConfig");
        if (string.IsNullOrEmpty(spec.SessionAffinity))
        {
            errors.Add(FieldError.Required(_specPath.Child("sessionAffinity")));
        }
        else if (!_supportedAffinities.Contains(spec.SessionAffinity))
        {
            errors.Add(FieldError.NotSupported(_specPath.Child("sessionAffinity"), spec.SessionAffinity, _supportedAffinities));
        }

        if (spec.SessionAffinity == "ClientIP")
        {
            const string detail = "when session affinity type is ClientIP";
            if (spec.SessionAffinityConfig is null)
            {
                errors.Add(FieldError.Required(path, detail));
            }
            else if (spec.SessionAffinityConfig.ClientIP is null)
            {
                errors.Add(FieldError.Required(path.Child("clientIP"), detail));
            }
            else if (spec.SessionAffinityConfig.ClientIP.TimeoutSeconds is not { } timeout)
            {
                errors.Add(FieldError.Required(path.Child("clientIP").Child("timeoutSeconds"), detail));
            }
            else if (timeout <= 0 || timeout > MaxClientIPAffinitySeconds)
            {
                errors.Add(FieldError.Invalid(path.Child("clientIP").Child("timeoutSeconds"), timeout, "must be greater than 0 and less than 86400"));
            }
        }
        else if (spec.SessionAffinity == "None" && spec.SessionAffinityConfig is not null)
        {
            errors.Add(FieldError.Forbidden(path, "must not be set when session affinity is None"));
        }
    }

    private static void ValidateDuplicatePorts(IList<V1ServicePort> ports, List<FieldError> errors)
    {
        var nodePorts = new HashSet<(string, int)>();
        for (var i = 0; i < ports.Count; i++)
        {
            var nodePort = ports[i].NodePort ?? 0;
            if (nodePort != 0 && !nodePorts.Add((ports[i].Protocol ?? "", nodePort)))
            {
                errors.Add(FieldError.Duplicate(_specPath.Child("ports").Index(i).Child("nodePort"), nodePort));
            }
        }

        var keys = new HashSet<(string, int)>();
        for (var i = 0; i < ports.Count; i++)
        {
            var protocol = ports[i].Protocol ?? "";
            if (!keys.Add((protocol, ports[i].Port)))
            {
                errors.Add(FieldError.DuplicateRendered(_specPath.Child("ports").Index(i), GoSyntax.ServicePortKey(protocol, ports[i].Port)));
            }
        }
    }

    private static void ValidateLoadBalancerFields(V1Service service, List<FieldError> errors)
    {
        var spec = service.Spec ?? new V1ServiceSpec();
        var isLB = spec.Type == "LoadBalancer";
        const string lbOnly = "may only be used when `type` is 'LoadBalancer'";
        if ((spec.LoadBalancerSourceRanges?.Count ?? 0) > 0)
        {
            // Upstream spells this path with a capital L.
            var path = _specPath.Child("LoadBalancerSourceRanges");
            if (!isLB)
            {
                errors.Add(FieldError.Forbidden(path, lbOnly));
            }

            for (var i = 0; i < spec.LoadBalancerSourceRanges!.Count; i++)
            {
                // Historically space-padded values are allowed.
                errors.AddRange(FieldValidators.CIDR((spec.LoadBalancerSourceRanges[i] ?? "").Trim(), path.Index(i)));
            }
        }
        else if (service.Metadata?.Annotations is { } annotations && annotations.TryGetValue(SourceRangesAnnotation, out var value))
        {
            var path = FieldPath.Root("metadata").Child("annotations").Key(SourceRangesAnnotation);
            if (!isLB)
            {
                errors.Add(FieldError.Forbidden(path, lbOnly));
            }

            value = (value ?? "").Trim();
            if (value.Length != 0)
            {
                foreach (var cidr in value.Split(','))
                {
                    errors.AddRange(FieldValidators.CIDR(cidr.Trim(), path));
                }
            }
        }

        if (spec.AllocateLoadBalancerNodePorts is not null && !isLB)
        {
            errors.Add(FieldError.Forbidden(_specPath.Child("allocateLoadBalancerNodePorts"), lbOnly));
        }

        if (isLB && spec.AllocateLoadBalancerNodePorts is null)
        {
            // Upstream reports this one without the "spec." prefix.
            errors.Add(FieldError.Required(FieldPath.Root("allocateLoadBalancerNodePorts")));
        }

        if (isLB)
        {
            if (spec.LoadBalancerClass is not null)
            {
                errors.AddRange(FieldValidators.QualifiedName(spec.LoadBalancerClass, _specPath.Child("loadBalancerClass")));
            }
        }
        else if (spec.LoadBalancerClass is not null)
        {
            errors.Add(FieldError.Forbidden(_specPath.Child("loadBalancerClass"), lbOnly));
        }
    }

    private static void ValidateTrafficPolicies(V1Service service, List<FieldError> errors)
    {
        var spec = service.Spec ?? new V1ServiceSpec();
        var etp = spec.ExternalTrafficPolicy ?? "";
        if (!ServiceDefaults.IsExternallyAccessible(service))
        {
            if (etp.Length != 0)
            {
                errors.Add(FieldError.Invalid(_specPath.Child("externalTrafficPolicy"), etp, "may only be set for externally-accessible services"));
            }
        }
        else if (etp.Length == 0)
        {
            errors.Add(FieldError.Required(_specPath.Child("externalTrafficPolicy")));
        }
        else if (!_supportedTrafficPolicies.Contains(etp))
        {
            errors.Add(FieldError.NotSupported(_specPath.Child("externalTrafficPolicy"), etp, _supportedTrafficPolicies));
        }

        var hc = spec.HealthCheckNodePort ?? 0;
        if (!ServiceDefaults.NeedsHealthCheck(service))
        {
            if (hc != 0)
            {
                errors.Add(FieldError.Invalid(_specPath.Child("healthCheckNodePort"), hc, "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'"));
            }
        }
        else if (hc == 0)
        {
            // Allocated by the NodePort allocator before validation, as upstream.
            errors.Add(FieldError.Required(_specPath.Child("healthCheckNodePort")));
        }
        else
        {
            errors.AddRange(ContentValidation.IsValidPortNum(hc).Select(m => FieldError.Invalid(_specPath.Child("healthCheckNodePort"), hc, m)));
        }

        if (spec.InternalTrafficPolicy is null)
        {
            // Not forbidden on ExternalName for historical reasons.
            if (spec.Type is "NodePort" or "LoadBalancer" or "ClusterIP")
            {
                errors.Add(FieldError.Required(_specPath.Child("internalTrafficPolicy")));
            }
        }
        else if (!_supportedTrafficPolicies.Contains(spec.InternalTrafficPolicy))
        {
            errors.Add(FieldError.NotSupported(_specPath.Child("internalTrafficPolicy"), spec.InternalTrafficPolicy, _supportedTrafficPolicies));
        }

        if (spec.TrafficDistribution is not null && !_supportedTrafficDistributions.Contains(spec.TrafficDistribution))
        {
            errors.Add(FieldError.NotSupported(_specPath.Child("trafficDistribution"), spec.TrafficDistribution, _supportedTrafficDistributions));
        }
    }
}
