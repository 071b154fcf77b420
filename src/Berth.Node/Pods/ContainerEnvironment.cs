using System.Text;
using k8s.Models;

namespace Berth.Node.Pods;

/// <summary>
/// Builds a container's environment as the kubelet's <c>makeEnvironmentVariables</c> (pkg/kubelet/kubelet_pods.go):
/// <c>envFrom</c> first (later sources override earlier ones, <c>prefix</c> prepended), then <c>env</c> in order with
/// <c>$(VAR)</c> expansion over the variables defined so far and the service variables, or <c>valueFrom</c>; then the
/// service variables whose names the container did not define. Berth adds <c>HOSTNAME</c> (the runtime's job in
/// Kubernetes) and <c>POD_IP</c> (host mode: the address a process must bind) unless the container defines them.
/// </summary>
internal static class ContainerEnvironment
{
    /// <summary>Reads a ConfigMap; <c>null</c> when it does not exist.</summary>
    public delegate Task<V1ConfigMap?> ConfigMapReader(string ns, string name, CancellationToken cancellationToken);

    public static async Task<EnvironmentResult> BuildAsync(EnvironmentInput input, ConfigMapReader configMaps, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(configMaps);
        var pod = input.Pod;
        var container = input.Container;
        var ns = pod.Metadata.NamespaceProperty ?? "default";
        var serviceEnv = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in input.ServiceVariables)
        {
            serviceEnv[name] = value;
        }

        var cache = new Dictionary<string, V1ConfigMap?>(StringComparer.Ordinal);
        async Task<V1ConfigMap?> GetConfigMapAsync(string name)
        {
            if (!cache.TryGetValue(name, out var map))
            {
                map = await configMaps(ns, name, cancellationToken).ConfigureAwait(false);
                cache[name] = map;
            }

            return map;
        }

        // An insertion-ordered map: a variable keeps the position of its first definition.
        var order = new List<string>();
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        void Set(string name, string value)
        {
            if (values.TryAdd(name, value))
            {
                order.Add(name);
            }
            else
            {
                values[name] = value;
            }
        }

        foreach (var source in container.EnvFrom ?? [])
        {
            if (source.ConfigMapRef is { } cmRef)
            {
                var map = await GetConfigMapAsync(cmRef.Name).ConfigureAwait(false);
                if (map is null)
                {
                    if (cmRef.Optional == true)
                    {
                        continue;
                    }

                    return EnvironmentResult.Fail($"configmap \"{cmRef.Name}\" not found");
                }

                foreach (var (key, value) in map.Data ?? new Dictionary<string, string>())
                {
                    Set((source.Prefix ?? string.Empty) + key, value);
                }
            }
            else if (source.SecretRef is { } secretRef && secretRef.Optional != true)
            {
                return EnvironmentResult.Fail(SecretsNotServed(secretRef.Name));
            }
        }

        var mapping = VariableExpansion.MappingFor(values, serviceEnv);
        foreach (var variable in container.Env ?? [])
        {
            var value = variable.Value ?? string.Empty;
            if (value.Length > 0)
            {
                value = VariableExpansion.Expand(value, mapping);
            }
            else if (variable.ValueFrom is { } from)
            {
                if (from.FieldRef is { } fieldRef)
                {
                    var field = FieldValue(fieldRef.FieldPath, input);
                    if (field.Error is not null)
                    {
                        return EnvironmentResult.Fail(field.Error);
                    }

                    value = field.Value!;
                }
                else if (from.ConfigMapKeyRef is { } keyRef)
                {
                    var map = await GetConfigMapAsync(keyRef.Name).ConfigureAwait(false);
                    if (map is null)
                    {
                        if (keyRef.Optional == true)
                        {
                            continue;
                        }

                        return EnvironmentResult.Fail($"configmap \"{keyRef.Name}\" not found");
                    }

                    if (map.Data?.TryGetValue(keyRef.Key, out var data) != true)
                    {
                        if (keyRef.Optional == true)
                        {
                            continue;
                        }

                        return EnvironmentResult.Fail($"couldn't find key {keyRef.Key} in ConfigMap {ns}/{keyRef.Name}");
                    }

                    value = data!;
                }
                else if (from.SecretKeyRef is { } secretKey)
                {
                    if (secretKey.Optional == true)
                    {
                        continue;
                    }

                    return EnvironmentResult.Fail(SecretsNotServed(secretKey.Name));
                }
                else if (from.ResourceFieldRef is { } resourceRef)
                {
                    // The kubelet's containerResourceRuntimeValue: the named container (default: this one), unset limits
                    // being the node's allocatable (host processes never have limits of their own).
                    var target = string.IsNullOrEmpty(resourceRef.ContainerName) ? container
                        : (pod.Spec?.Containers ?? []).Concat(pod.Spec?.InitContainers ?? []).FirstOrDefault(c => c.Name == resourceRef.ContainerName);
                    if (target is null)
                    {
                        return EnvironmentResult.Fail($"container {resourceRef.ContainerName} not found");
                    }

                    var resource = Volumes.ResourceFields.Value(target, resourceRef.Resource, resourceRef.Divisor, input.Capacity);
                    if (resource.Error is not null)
                    {
                        return EnvironmentResult.Fail(resource.Error);
                    }

                    value = resource.Value!;
                }
            }

            Set(variable.Name, value);
        }

        var result = new List<KeyValuePair<string, string>>(order.Count + serviceEnv.Count + 2);
        if (!values.ContainsKey("HOSTNAME"))
        {
            result.Add(new("HOSTNAME", input.Hostname));
        }

        if (!values.ContainsKey("POD_IP") && input.PodIP is { Length: > 0 } podIp)
        {
            result.Add(new("POD_IP", podIp));
        }

        foreach (var name in order)
        {
            result.Add(new(name, values[name]));
        }

        foreach (var (name, value) in input.ServiceVariables)
        {
            if (!values.ContainsKey(name))
            {
                result.Add(new(name, value));
            }
        }

        return EnvironmentResult.Ok(result);
    }

    /// <summary>The kubelet's <c>podFieldSelectorRuntimeValue</c> + <c>fieldpath.ExtractFieldPathAsString</c>.</summary>
    internal static (string? Value, string? Error) FieldValue(string path, EnvironmentInput input) =>
        FieldValue(path, input.Pod, input.PodIP, input.HostIP);

    /// <summary>The same for a pod whose IP (and the node's) are known; downwardAPI volumes read only metadata.</summary>
    internal static (string? Value, string? Error) FieldValue(string path, V1Pod pod, string? podIP, string hostIP)
    {
        var meta = pod.Metadata;
        switch (path)
        {
            case "metadata.name":
                return (meta.Name, null);
            case "metadata.namespace":
                return (meta.NamespaceProperty ?? string.Empty, null);
            case "metadata.uid":
                return (meta.Uid ?? string.Empty, null);
            case "metadata.labels":
                return (FormatMap(meta.Labels), null);
            case "metadata.annotations":
                return (FormatMap(meta.Annotations), null);
            case "spec.nodeName":
                return (pod.Spec?.NodeName ?? string.Empty, null);
            case "spec.serviceAccountName":
                return (pod.Spec?.ServiceAccountName ?? string.Empty, null);
            case "status.podIP":
            case "status.podIPs":
                return (podIP ?? string.Empty, null);
            case "status.hostIP":
            case "status.hostIPs":
                return (hostIP, null);
            default:
                break;
        }

        if (TrySubscript(path, "metadata.labels", out var label))
        {
            return ((meta.Labels is { } labels && labels.TryGetValue(label, out var l) ? l : null) ?? string.Empty, null);
        }

        if (TrySubscript(path, "metadata.annotations", out var annotation))
        {
            return ((meta.Annotations is { } annotations && annotations.TryGetValue(annotation, out var a) ? a : null) ?? string.Empty, null);
        }

        return (null, "unsupported fieldPath: " + path);
    }

    private static bool TrySubscript(string path, string prefix, out string key)
    {
        key = string.Empty;
        if (path.Length > prefix.Length + 4 && path.StartsWith(prefix + "['", StringComparison.Ordinal) && path.EndsWith("']", StringComparison.Ordinal))
        {
            key = path[(prefix.Length + 2)..^2];
            return true;
        }

        return false;
    }

    /// <summary>fieldpath.FormatMap: <c>key="value"</c> lines in key order (values quoted as Go's %q).</summary>
    private static string FormatMap(IDictionary<string, string>? map)
    {
        if (map is null || map.Count == 0)
        {
            return string.Empty;
        }

        var text = new StringBuilder();
        foreach (var key in map.Keys.Order(StringComparer.Ordinal))
        {
            if (text.Length > 0)
            {
                text.Append('\n');
            }

            text.Append(key).Append("=\"");
            foreach (var c in map[key])
            {
                _ = c switch
                {
                    '"' => text.Append("\\\""),
                    '\\' => text.Append("\\\\"),
                    '\n' => text.Append("\\n"),
                    '\t' => text.Append("\\t"),
                    '\r' => text.Append("\\r"),
                    _ => text.Append(c),
                };
            }

            text.Append('"');
        }

        return text.ToString();
    }

    private static string SecretsNotServed(string name) =>
        $"secret \"{name}\" not found: Berth does not serve Secrets; use a ConfigMap (envFrom.configMapRef or valueFrom.configMapKeyRef)";
}

/// <summary>What a container's environment is made from.</summary>
internal sealed record EnvironmentInput(
    V1Pod Pod,
    V1Container Container,
    string? PodIP,
    string HostIP,
    string Hostname,
    IReadOnlyList<KeyValuePair<string, string>> ServiceVariables)
{
    /// <summary>The node's allocatable resources, the value of <c>resourceFieldRef</c> limits (unset on host processes).</summary>
    public Volumes.NodeCapacity Capacity { get; init; } = new(Environment.ProcessorCount, 0, null);
}

/// <summary>The environment, or why it cannot be made (a <c>CreateContainerConfigError</c>).</summary>
internal sealed record EnvironmentResult(IReadOnlyList<KeyValuePair<string, string>>? Variables, string? Error)
{
    public static EnvironmentResult Ok(IReadOnlyList<KeyValuePair<string, string>> variables) => new(variables, null);

    public static EnvironmentResult Fail(string error) => new(null, error);
}
