using Berth.Core.Errors;
using Berth.Core.Validation;
using k8s.Models;

namespace Berth.Core.Strategies;

/// <summary>
/// The basics of <c>ValidatePodSpec</c> / <c>ValidatePodTemplateSpec</c> / <c>ValidatePodUpdate</c>
/// (pkg/apis/core/validation): containers, names, images, ports, probes, policies. Volumes,
/// resources, affinity and security contexts are not validated.
/// </summary>
internal static class PodValidation
{
    public const string UpdateForbidden =
        "pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)";

    private static readonly string[] _protocols = ["SCTP", "TCP", "UDP"];
    private static readonly string[] _restartPolicies = ["Always", "OnFailure", "Never"];
    private static readonly string[] _dnsPolicies = ["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"];
    private static readonly string[] _pullPolicies = ["Always", "IfNotPresent", "Never"];
    private static readonly string[] _terminationMessagePolicies = ["File", "FallbackToLogsOnError"];

    public static void ValidateTemplate(V1PodTemplateSpec? template, FieldPath path, List<FieldError> errors)
    {
        if (template is null)
        {
            errors.Add(FieldError.Required(path));
            return;
        }

        // Upstream validates template labels/annotations at template.labels, without "metadata".
        errors.AddRange(FieldValidators.Labels(template.Metadata?.Labels, path.Child("labels")));
        errors.AddRange(FieldValidators.Annotations(template.Metadata?.Annotations, path.Child("annotations")));
        ValidateSpec(template.Spec ?? new V1PodSpec(), path.Child("spec"), errors);
        if (template.Spec?.EphemeralContainers is { Count: > 0 })
        {
            errors.Add(FieldError.Forbidden(path.Child("spec").Child("ephemeralContainers"), "ephemeral containers not allowed in pod template"));
        }
    }

    public static void ValidateSpec(V1PodSpec spec, FieldPath path, List<FieldError> errors)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        ValidateContainers(spec.InitContainers ?? [], path.Child("initContainers"), names, requireOne: false, errors);
        ValidateContainers(spec.Containers ?? [], path.Child("containers"), names, requireOne: true, errors);

        var restartPolicy = spec.RestartPolicy ?? "";
        if (restartPolicy.Length == 0)
        {
            errors.Add(FieldError.Required(path.Child("restartPolicy")));
        }
        else if (!_restartPolicies.Contains(restartPolicy))
        {
            errors.Add(FieldError.NotSupported(path.Child("restartPolicy"), restartPolicy, _restartPolicies));
        }

        var dnsPolicy = spec.DnsPolicy ?? "";
        if (dnsPolicy.Length == 0)
        {
            errors.Add(FieldError.Required(path.Child("dnsPolicy")));
        }
        else if (!_dnsPolicies.Contains(dnsPolicy))
        {
            errors.Add(FieldError.NotSupported(path.Child("dnsPolicy"), dnsPolicy, _dnsPolicies));
        }

        if (spec.ActiveDeadlineSeconds is { } deadline && (deadline < 1 || deadline > int.MaxValue))
        {
            errors.Add(FieldError.Invalid(path.Child("activeDeadlineSeconds"), deadline, ContentValidation.InclusiveRangeError(1, int.MaxValue)));
        }

        if (!string.IsNullOrEmpty(spec.NodeName))
        {
            errors.AddRange(FieldValidators.DNS1123Subdomain(spec.NodeName, path.Child("nodeName")));
        }

        if (!string.IsNullOrEmpty(spec.ServiceAccountName))
        {
            errors.AddRange(FieldValidators.DNS1123Subdomain(spec.ServiceAccountName, path.Child("serviceAccountName")));
        }

        if (!string.IsNullOrEmpty(spec.Hostname))
        {
            errors.AddRange(FieldValidators.DNS1123Label(spec.Hostname, path.Child("hostname")));
        }

        if (!string.IsNullOrEmpty(spec.Subdomain))
        {
            errors.AddRange(FieldValidators.DNS1123Label(spec.Subdomain, path.Child("subdomain")));
        }

        errors.AddRange(FieldValidators.Labels(spec.NodeSelector, path.Child("nodeSelector")));
    }

    /// <summary>
    /// <c>ValidatePodUpdate</c>'s spec rule: only images, activeDeadlineSeconds (set, or lowered),
    /// toleration additions and a negative terminationGracePeriodSeconds → 1 may change.
    /// </summary>
    public static void ValidateUpdate(V1Pod pod, V1Pod old, List<FieldError> errors)
    {
        var spec = pod.Spec ?? new V1PodSpec();
        var oldSpec = old.Spec ?? new V1PodSpec();
        var specPath = FieldPath.Root("spec");
        if (spec.ActiveDeadlineSeconds is { } deadline)
        {
            if (deadline < 0 || deadline > int.MaxValue)
            {
                errors.Add(FieldError.Invalid(specPath.Child("activeDeadlineSeconds"), deadline, ContentValidation.InclusiveRangeError(0, int.MaxValue)));
                return;
            }

            if (oldSpec.ActiveDeadlineSeconds is { } oldDeadline && oldDeadline < deadline)
            {
                errors.Add(FieldError.Invalid(specPath.Child("activeDeadlineSeconds"), deadline, "must be less than or equal to previous value"));
                return;
            }
        }
        else if (oldSpec.ActiveDeadlineSeconds is not null)
        {
            errors.Add(FieldError.InvalidRendered(specPath.Child("activeDeadlineSeconds"), GoSyntax.Pointer(null), "must not update from a positive integer to nil value"));
        }

        var munged = ModelCopy.Clone(spec)!;
        MungeImages(munged.Containers, oldSpec.Containers);
        MungeImages(munged.InitContainers, oldSpec.InitContainers);
        munged.ActiveDeadlineSeconds = oldSpec.ActiveDeadlineSeconds;
        if (oldSpec.TerminationGracePeriodSeconds is < 0 && munged.TerminationGracePeriodSeconds == 1)
        {
            munged.TerminationGracePeriodSeconds = oldSpec.TerminationGracePeriodSeconds;
        }

        // Tolerations may only be added.
        var oldTolerations = (oldSpec.Tolerations ?? []).Select(t => Json(t)).ToList();
        var newTolerations = (munged.Tolerations ?? []).Select(t => Json(t)).ToList();
        if (oldTolerations.All(newTolerations.Contains))
        {
            munged.Tolerations = oldSpec.Tolerations;
        }

        // Scheduling gates may only be removed.
        var oldGates = (oldSpec.SchedulingGates ?? []).Select(g => g.Name).ToList();
        if ((munged.SchedulingGates ?? []).All(g => oldGates.Contains(g.Name)))
        {
            munged.SchedulingGates = oldSpec.SchedulingGates;
        }

        // The scheduler binds through pods/binding; an unset nodeName may be filled once.
        if (string.IsNullOrEmpty(oldSpec.NodeName))
        {
            munged.NodeName = oldSpec.NodeName;
        }

        if (!ModelCopy.SemanticEqual(munged, oldSpec))
        {
            errors.Add(FieldError.Forbidden(specPath, UpdateForbidden));
        }
    }

    /// <summary><c>qos.GetPodQOS</c> over cpu and memory.</summary>
    public static string ComputeQosClass(V1PodSpec spec)
    {
        var containers = PodDefaults.AllContainers(spec).ToList();
        var any = false;
        var guaranteed = true;
        foreach (var c in containers)
        {
            var requests = c.Resources?.Requests ?? new Dictionary<string, ResourceQuantity>();
            var limits = c.Resources?.Limits ?? new Dictionary<string, ResourceQuantity>();
            foreach (var resource in new[] { "cpu", "memory" })
            {
                var hasRequest = requests.TryGetValue(resource, out var request) && !IsZero(request);
                var hasLimit = limits.TryGetValue(resource, out var limit) && !IsZero(limit);
                any |= hasRequest || hasLimit;
                if (!hasLimit || (hasRequest && request!.ToDecimal() != limit!.ToDecimal()))
                {
                    guaranteed = false;
                }
            }
        }

        return !any ? "BestEffort" : guaranteed ? "Guaranteed" : "Burstable";
    }

    private static bool IsZero(ResourceQuantity? q) => q is null || q.ToDecimal() == 0;

    private static void ValidateContainers(IList<V1Container> containers, FieldPath path, HashSet<string> names, bool requireOne, List<FieldError> errors)
    {
        if (requireOne && containers.Count == 0)
        {
            errors.Add(FieldError.Required(path));
        }

        for (var i = 0; i < containers.Count; i++)
        {
            var c = containers[i];
            var idx = path.Index(i);
            var name = c.Name ?? "";
            if (name.Length == 0)
            {
                errors.Add(FieldError.Required(idx.Child("name")));
            }
            else
            {
                errors.AddRange(FieldValidators.DNS1123Label(name, idx.Child("name")));
                if (!names.Add(name))
                {
                    errors.Add(FieldError.Duplicate(idx.Child("name"), name));
                }
            }

            var image = c.Image ?? "";
            if (image.Length == 0)
            {
                errors.Add(FieldError.Required(idx.Child("image")));
            }
            else if (image.Length != image.Trim().Length)
            {
                errors.Add(FieldError.Invalid(idx.Child("image"), image, "must not have leading or trailing whitespace"));
            }

            var pull = c.ImagePullPolicy ?? "";
            if (pull.Length == 0)
            {
                errors.Add(FieldError.Required(idx.Child("imagePullPolicy")));
            }
            else if (!_pullPolicies.Contains(pull))
            {
                errors.Add(FieldError.NotSupported(idx.Child("imagePullPolicy"), pull, _pullPolicies));
            }

            var tmp = c.TerminationMessagePolicy ?? "";
            if (tmp.Length == 0)
            {
                errors.Add(FieldError.Required(idx.Child("terminationMessagePolicy")));
            }
            else if (!_terminationMessagePolicies.Contains(tmp))
            {
                errors.Add(FieldError.NotSupported(idx.Child("terminationMessagePolicy"), tmp, _terminationMessagePolicies));
            }

            ValidatePorts(c.Ports ?? [], idx.Child("ports"), errors);
            ValidateProbe(c.LivenessProbe, idx.Child("livenessProbe"), mustSucceedOnce: true, errors);
            ValidateProbe(c.ReadinessProbe, idx.Child("readinessProbe"), mustSucceedOnce: false, errors);
            ValidateProbe(c.StartupProbe, idx.Child("startupProbe"), mustSucceedOnce: true, errors);
        }
    }

    private static void ValidatePorts(IList<V1ContainerPort> ports, FieldPath path, List<FieldError> errors)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < ports.Count; i++)
        {
            var p = ports[i];
            var idx = path.Index(i);
            if (!string.IsNullOrEmpty(p.Name))
            {
                var msgs = ContentValidation.IsValidPortName(p.Name);
                if (msgs.Count != 0)
                {
                    errors.AddRange(msgs.Select(m => FieldError.Invalid(idx.Child("name"), p.Name, m)));
                }
                else if (!names.Add(p.Name))
                {
                    errors.Add(FieldError.Duplicate(idx.Child("name"), p.Name));
                }
            }

            if (p.ContainerPort == 0)
            {
                errors.Add(FieldError.Required(idx.Child("containerPort")));
            }
            else
            {
                errors.AddRange(ContentValidation.IsValidPortNum(p.ContainerPort).Select(m => FieldError.Invalid(idx.Child("containerPort"), p.ContainerPort, m)));
            }

            if ((p.HostPort ?? 0) != 0)
            {
                errors.AddRange(ContentValidation.IsValidPortNum(p.HostPort!.Value).Select(m => FieldError.Invalid(idx.Child("hostPort"), p.HostPort.Value, m)));
            }

            if (string.IsNullOrEmpty(p.Protocol))
            {
                errors.Add(FieldError.Required(idx.Child("protocol")));
            }
            else if (!_protocols.Contains(p.Protocol))
            {
                errors.Add(FieldError.NotSupported(idx.Child("protocol"), p.Protocol, _protocols));
            }
        }
    }

    private static void ValidateProbe(V1Probe? probe, FieldPath path, bool mustSucceedOnce, List<FieldError> errors)
    {
        if (probe is null)
        {
            return;
        }

        var handlers = (probe.Exec is null ? 0 : 1) + (probe.HttpGet is null ? 0 : 1) + (probe.TcpSocket is null ? 0 : 1) + (probe.Grpc is null ? 0 : 1);
        if (handlers == 0)
        {
            errors.Add(FieldError.Required(path, "must specify a handler type"));
        }

        errors.AddRange(FieldValidators.NonNegative(probe.InitialDelaySeconds ?? 0, path.Child("initialDelaySeconds")));
        errors.AddRange(FieldValidators.NonNegative(probe.TimeoutSeconds ?? 0, path.Child("timeoutSeconds")));
        errors.AddRange(FieldValidators.NonNegative(probe.PeriodSeconds ?? 0, path.Child("periodSeconds")));
        errors.AddRange(FieldValidators.NonNegative(probe.SuccessThreshold ?? 0, path.Child("successThreshold")));
        errors.AddRange(FieldValidators.NonNegative(probe.FailureThreshold ?? 0, path.Child("failureThreshold")));
        if (mustSucceedOnce && probe.SuccessThreshold is { } threshold && threshold != 1)
        {
            errors.Add(FieldError.Invalid(path.Child("successThreshold"), threshold, "must be 1"));
        }

        if (probe.HttpGet is { } http)
        {
            errors.AddRange(FieldValidators.PortNumOrName(http.Port, path.Child("httpGet").Child("port")));
        }

        if (probe.TcpSocket is { } tcp)
        {
            errors.AddRange(FieldValidators.PortNumOrName(tcp.Port, path.Child("tcpSocket").Child("port")));
        }
    }

    private static void MungeImages(IList<V1Container>? containers, IList<V1Container>? old)
    {
        if (containers is null || old is null)
        {
            return;
        }

        for (var i = 0; i < containers.Count && i < old.Count; i++)
        {
            containers[i].Image = old[i].Image;
        }
    }

    private static string Json<T>(T value) => k8s.KubernetesJson.Serialize(value);
}
