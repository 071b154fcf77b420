using System.Text.Json.Nodes;
using Berth.Core.OpenApi;
using Berth.Core.Resources;
using k8s.Models;

namespace Berth.Core.Tests.OpenApi;

/// <summary>
/// The generated OpenAPI schemas: names as Kubernetes spells them, the field shapes kubectl explain reads, references
/// that resolve. (That every registered kind has a schema with its group-version-kind is in KindRegistrationTests.)
/// </summary>
public sealed class OpenApiSchemasTests
{
    [Theory]
    [InlineData(typeof(V1Service), "io.k8s.api.core.v1.Service")]
    [InlineData(typeof(V1ServiceSpec), "io.k8s.api.core.v1.ServiceSpec")]
    [InlineData(typeof(V1PodTemplateSpec), "io.k8s.api.core.v1.PodTemplateSpec")]
    [InlineData(typeof(V1DeploymentSpec), "io.k8s.api.apps.v1.DeploymentSpec")]
    [InlineData(typeof(Corev1Event), "io.k8s.api.core.v1.Event")]
    [InlineData(typeof(Discoveryv1EndpointPort), "io.k8s.api.discovery.v1.EndpointPort")]
    [InlineData(typeof(Rbacv1Subject), "io.k8s.api.rbac.v1.Subject")]
    [InlineData(typeof(V1ObjectMeta), "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta")]
    [InlineData(typeof(V1LabelSelector), "io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector")]
    [InlineData(typeof(IntOrString), "io.k8s.apimachinery.pkg.util.intstr.IntOrString")]
    [InlineData(typeof(ResourceQuantity), "io.k8s.apimachinery.pkg.api.resource.Quantity")]
    [InlineData(typeof(V2HorizontalPodAutoscalerSpec), "io.k8s.api.autoscaling.v2.HorizontalPodAutoscalerSpec")]
    [InlineData(typeof(V1JobTemplateSpec), "io.k8s.api.batch.v1.JobTemplateSpec")]
    public void NameOf_Model_IsKubernetesDefinitionName(Type model, string expected)
    {
        Assert.Equal(expected, OpenApiSchemas.NameOf(model));
    }

    [Fact]
    public void NameOf_EveryModelOfTheClient_IsItsOwn()
    {
        var models = typeof(V1Pod).Assembly.GetExportedTypes()
            .Where(t => t.Namespace == typeof(V1Pod).Namespace && t.IsClass && !t.IsGenericType && t.GetProperties().Any(p => p.IsDefined(typeof(System.Text.Json.Serialization.JsonPropertyNameAttribute), false)))
            .ToList();

        var clashes = models.GroupBy(OpenApiSchemas.NameOf).Where(g => g.Count() > 1).Select(g => g.Key + ": " + string.Join(", ", g.Select(t => t.Name))).ToList();

        Assert.True(models.Count > 500, $"only {models.Count} models found");
        Assert.Empty(clashes);
    }

    [Fact]
    public void For_Service_DescribesFieldsAsKubeOpenApiDoes()
    {
        var service = ResourceRegistry.Default.FindKind("", "Service")!;

        var schemas = OpenApiSchemas.For([service]);

        var spec = schemas["io.k8s.api.core.v1.ServiceSpec"]!;
        Assert.StartsWith("externalTrafficPolicy describes how nodes distribute service traffic", (string)spec["properties"]!["externalTrafficPolicy"]!["description"]!, StringComparison.Ordinal);
        Assert.Equal("string", (string)spec["properties"]!["externalTrafficPolicy"]!["type"]!);
        var ports = spec["properties"]!["ports"]!;
        Assert.Equal("array", (string)ports["type"]!);
        Assert.Equal("#/components/schemas/io.k8s.api.core.v1.ServicePort", (string)ports["items"]!["allOf"]![0]!["$ref"]!);
        Assert.Equal(("merge", "port"), ((string)ports["x-kubernetes-patch-strategy"]!, (string)ports["x-kubernetes-patch-merge-key"]!));
        Assert.Equal("object", (string)spec["properties"]!["selector"]!["type"]!);
        Assert.Equal("string", (string)spec["properties"]!["selector"]!["additionalProperties"]!["type"]!);
        Assert.Equal(["port"], schemas["io.k8s.api.core.v1.ServicePort"]!["required"]!.AsArray().Select(n => (string)n!));
        Assert.Equal("int-or-string", (string)schemas["io.k8s.apimachinery.pkg.util.intstr.IntOrString"]!["format"]!);
        Assert.Equal("ServiceList", (string)schemas["io.k8s.api.core.v1.ServiceList"]!["x-kubernetes-group-version-kind"]![0]!["kind"]!);
        Assert.Null(schemas["io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"]!["x-kubernetes-group-version-kind"]);
    }

    [Fact]
    public void For_EveryKind_EveryReferenceResolves()
    {
        var schemas = OpenApiSchemas.For(ResourceRegistry.Default.All);

        var refs = Refs(schemas).Distinct().ToList();

        Assert.NotEmpty(refs);
        Assert.All(refs, r => Assert.True(schemas.ContainsKey(r["#/components/schemas/".Length..]), r + " is not in the schemas"));
    }

    private static IEnumerable<string> Refs(JsonNode? node) => node switch
    {
        JsonObject o => o.SelectMany(p => p.Key == "$ref" ? [(string)p.Value!] : Refs(p.Value)),
        JsonArray a => a.SelectMany(Refs),
        _ => [],
    };
}
