using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Reflection;
using System.Text.RegularExpressions;
using Berth.Core.Serialization;
using k8s.Models;

namespace Berth.Core.OpenApi;

/// <summary>
/// Kubernetes' OpenAPI name of a KubernetesClient model (<c>io.k8s.api.core.v1.ServiceSpec</c>). The client's generator
/// named each class after the swagger definition's version and name (<c>V1ServiceSpec</c>), with the Go package in front
/// only where two packages share a name (<c>Corev1Event</c>, <c>Discoveryv1EndpointPort</c>); so the package is read
/// back from, in order: that prefix; a kind's <c>[KubernetesEntity]</c> group; apimachinery's meta/v1 types; else the
/// packages of the kinds whose fields reach the type — core/v1 when a core kind reaches it (core imports no other API
/// package, every other package may import core), otherwise that one package.
/// </summary>
internal static partial class SchemaNames
{
    private const string MetaPackage = "io.k8s.apimachinery.pkg.apis.meta.v1";

    // The types of k8s.io/apimachinery/pkg/apis/meta/v1 that Kubernetes' OpenAPI documents define (types.go); the
    // client generates them as V1<Name> like any API type. Time and MicroTime are DateTime in the client.
    private static readonly FrozenSet<string> _metaTypes = FrozenSet.Create(
        StringComparer.Ordinal,
        "APIGroup", "APIGroupList", "APIResource", "APIResourceList", "APIVersions", "Condition", "DeleteOptions",
        "FieldSelectorRequirement", "GroupVersionForDiscovery", "LabelSelector", "LabelSelectorRequirement", "ListMeta",
        "ManagedFieldsEntry", "ObjectMeta", "OwnerReference", "Preconditions", "ServerAddressByClientCIDR", "Status",
        "StatusCause", "StatusDetails", "WatchEvent");

    private static readonly ConcurrentDictionary<Type, string> _names = new();

    private static readonly Lazy<FrozenDictionary<Type, FrozenSet<string>>> _reachedFrom = new(ReachedFromPackages);

    /// <summary>The schema name of <paramref name="model"/>, a class of <c>k8s.Models</c>.</summary>
    public static string Of(Type model) => _names.GetOrAdd(model, Name);

    private static string Name(Type model)
    {
        if (model == typeof(IntOrString))
        {
            return "io.k8s.apimachinery.pkg.util.intstr.IntOrString";
        }

        if (model == typeof(ResourceQuantity))
        {
            return "io.k8s.apimachinery.pkg.api.resource.Quantity";
        }

        if (PackagePrefixed().Match(model.Name) is { Success: true } prefixed)
        {
            return Package(prefixed.Groups["package"].Value.ToLowerInvariant(), prefixed.Groups["version"].Value) + "." + prefixed.Groups["name"].Value;
        }

        if (Versioned().Match(model.Name) is not { Success: true } versioned)
        {
            return "io.k8s." + model.Name;
        }

        var version = "v" + versioned.Groups["version"].Value;
        var name = versioned.Groups["name"].Value;
        if (version == "v1" && _metaTypes.Contains(name))
        {
            return MetaPackage + "." + name;
        }

        if (model.GetCustomAttribute<KubernetesEntityAttribute>() is { } entity)
        {
            return Package(PackageOf(entity.Group), entity.ApiVersion) + "." + entity.Kind;
        }

        var packages = _reachedFrom.Value.GetValueOrDefault(model) ?? FrozenSet<string>.Empty;
        var package = packages.Contains("core") ? "core" : packages.Order(StringComparer.Ordinal).FirstOrDefault() ?? "core";
        return Package(package, version) + "." + name;
    }

    /// <summary>The Go package (under k8s.io/api) of an API group: its first label, <c>core</c> for the legacy group.</summary>
    private static string PackageOf(string group) => group switch
    {
        "" => "core",
        "internal.apiserver.k8s.io" => "apiserverinternal",
        _ => group.Split('.')[0],
    };

    private static string Package(string package, string version) => package switch
    {
        "apiextensions" => "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions." + version,
        "apiregistration" => "io.k8s.kube-aggregator.pkg.apis.apiregistration." + version,
        _ => "io.k8s.api." + package + "." + version,
    };

    /// <summary>For every model type, the packages of the kinds (<c>[KubernetesEntity]</c>) whose fields reach it.</summary>
    private static FrozenDictionary<Type, FrozenSet<string>> ReachedFromPackages()
    {
        var reached = new Dictionary<Type, HashSet<string>>();
        var children = new Dictionary<Type, Type[]>();
        foreach (var kind in typeof(V1Pod).Assembly.GetExportedTypes())
        {
            if (kind.Namespace != typeof(V1Pod).Namespace || kind.GetCustomAttribute<KubernetesEntityAttribute>() is not { } entity)
            {
                continue;
            }

            var package = PackageOf(entity.Group);
            var seen = new HashSet<Type>();
            var pending = new Stack<Type>([kind]);
            while (pending.TryPop(out var type))
            {
                if (!seen.Add(type))
                {
                    continue;
                }

                if (!reached.TryGetValue(type, out var packages))
                {
                    reached[type] = packages = [];
                }

                packages.Add(package);
                if (!children.TryGetValue(type, out var next))
                {
                    // Property types alone, without reading [JsonPropertyName]: attributes are the costly part of reflection.
                    children[type] = next = [.. type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(p => ModelType(p.PropertyType)).OfType<Type>().Distinct()];
                }

                foreach (var child in next)
                {
                    pending.Push(child);
                }
            }
        }

        return reached.ToFrozenDictionary(p => p.Key, p => p.Value.ToFrozenSet(StringComparer.Ordinal));
    }

    /// <summary>The model class a member holds, through lists and maps; null for scalars.</summary>
    internal static Type? ModelType(Type member)
    {
        var type = Nullable.GetUnderlyingType(member) ?? member;
        if (type == typeof(string) || type == typeof(byte[]))
        {
            return null;
        }

        if (ModelSchema.DictionaryValueType(type) is { } value)
        {
            return ModelType(value);
        }

        if (ModelSchema.ElementType(type) is { } item)
        {
            return ModelType(item);
        }

        return type.Namespace == "k8s.Models" && type.IsClass ? type : null;
    }

    // Corev1Event, Discoveryv1EndpointPort, Admissionregistrationv1ServiceReference.
    [GeneratedRegex("^(?<package>[A-Z][a-z]+)(?<version>v[0-9]+(?:alpha[0-9]+|beta[0-9]+)?)(?<name>[A-Z].*)$")]
    private static partial Regex PackagePrefixed();

    // V1ServiceSpec, V1beta1DeviceClass, V2HorizontalPodAutoscaler.
    [GeneratedRegex("^V(?<version>[0-9]+(?:alpha[0-9]+|beta[0-9]+)?)(?<name>[A-Z].*)$")]
    private static partial Regex Versioned();
}
