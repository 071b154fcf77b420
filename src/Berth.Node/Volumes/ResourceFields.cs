using System.Globalization;
using k8s.Models;

namespace Berth.Node.Volumes;

/// <summary>
/// The value of a <c>resourceFieldRef</c> (env and downwardAPI volumes) as the kubelet's
/// <c>resource.ExtractContainerResourceValue</c> (pkg/api/v1/resource/helpers.go): CPU rounded up to whole divisors of
/// millicores, memory and ephemeral storage up to whole divisors of bytes; an unset limit is the node's allocatable.
/// </summary>
internal static class ResourceFields
{
    /// <returns>The value, or the kubelet's error for an unknown resource.</returns>
    public static (string? Value, string? Error) Value(V1Container container, string resource, ResourceQuantity? divisor, NodeCapacity node)
    {
        var limits = container.Resources?.Limits;
        var requests = container.Resources?.Requests;
        return resource switch
        {
            "limits.cpu" => (Cpu(Get(limits, "cpu") ?? node.Cpu, divisor), null),
            "limits.memory" => (Bytes(Get(limits, "memory") ?? node.MemoryBytes, divisor), null),
            "limits.ephemeral-storage" => (Bytes(Get(limits, "ephemeral-storage") ?? node.EphemeralStorageBytes ?? 0, divisor), null),
            "requests.cpu" => (Cpu(Get(requests, "cpu") ?? 0, divisor), null),
            "requests.memory" => (Bytes(Get(requests, "memory") ?? 0, divisor), null),
            "requests.ephemeral-storage" => (Bytes(Get(requests, "ephemeral-storage") ?? 0, divisor), null),
            _ => (null, "unsupported container resource : " + resource),
        };
    }

    private static decimal? Get(IDictionary<string, ResourceQuantity>? list, string name) =>
        list is not null && list.TryGetValue(name, out var quantity) && quantity.ToDecimal() is var value && value != 0 ? value : null;

    private static decimal Divisor(ResourceQuantity? divisor) => divisor?.ToDecimal() is { } d && d != 0 ? d : 1;

    /// <summary><c>convertResourceCPUToString</c>: ceil(milli(cpu) / milli(divisor)).</summary>
    private static string Cpu(decimal cores, ResourceQuantity? divisor) =>
        Format(Math.Ceiling(Math.Ceiling(cores * 1000) / Math.Ceiling(Divisor(divisor) * 1000)));

    /// <summary><c>convertResourceMemoryToString</c>: ceil(bytes / divisor).</summary>
    private static string Bytes(decimal bytes, ResourceQuantity? divisor) => Format(Math.Ceiling(Math.Ceiling(bytes) / Divisor(divisor)));

    private static string Format(decimal value) => ((long)value).ToString(CultureInfo.InvariantCulture);
}
