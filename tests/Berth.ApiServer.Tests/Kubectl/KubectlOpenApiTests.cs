using Berth.ApiServer.Tests.Infrastructure;
using Berth.Core.Resources;
using k8s;
using Xunit.Abstractions;

namespace Berth.ApiServer.Tests.Kubectl;

/// <summary>
/// The installed kubectl reads Berth's OpenAPI v3 documents: <c>explain</c> for every served kind, a field with its
/// description, a recursive field list; <c>apply</c> computes its strategic merge patch from them.
/// </summary>
public sealed class KubectlOpenApiTests : IClassFixture<BerthServer>
{
    private readonly BerthServer _server;
    private readonly Infrastructure.Kubectl _kubectl;
    private readonly ITestOutputHelper _output;

    public KubectlOpenApiTests(BerthServer server, ITestOutputHelper output)
    {
        _server = server;
        _kubectl = new Infrastructure.Kubectl(server.KubeconfigPath, server.DataDir);
        _output = output;
    }

    [Fact]
    public async Task Explain_EveryServedKind_NamesItsKindVersionAndFields()
    {
        var failures = new List<string>();

        foreach (var r in ResourceRegistry.Default.All)
        {
            // <plural>.<group> as users type it (kubectl reads "x.y" after --api-version as a field path, so none is given).
            // A kind's other versions (HorizontalPodAutoscaler autoscaling/v1 beside v2), and a plural served in two
            // groups (events in core and events.k8s.io, where kubectl reads events.events.k8s.io as a field path), are
            // named by --api-version.
            var ambiguous = ResourceRegistry.Default.All.Any(o => o.Plural == r.Plural && o.Group != r.Group);
            string[] args = ResourceRegistry.Default.Find(r.Group, r.Plural) == r && !ambiguous
                ? ["explain", r.Group.Length == 0 ? r.Plural : r.Plural + "." + r.Group]
                : ["explain", r.Plural, "--api-version=" + r.ApiVersion];
            var result = await _kubectl.RunAsync(args);
            if (result.ExitCode != 0
                || !result.Stdout.Contains($"KIND:       {r.Kind}\n", StringComparison.Ordinal)
                || !result.Stdout.Contains($"VERSION:    {r.Version}\n", StringComparison.Ordinal)
                || !result.Stdout.Contains("  metadata\t<ObjectMeta>\n", StringComparison.Ordinal)
                || (r.Group.Length > 0 && !result.Stdout.Contains($"GROUP:      {r.Group}\n", StringComparison.Ordinal)))
            {
                failures.Add($"{r.ApiVersion}/{r.Kind}: exit {result.ExitCode}\n{result.Stdout}{result.Stderr}");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task Explain_ServiceExternalTrafficPolicy_PrintsKubernetesDescription()
    {
        var stdout = await _kubectl.OkAsync("explain", "service.spec.externalTrafficPolicy");
        _output.WriteLine(stdout);

        Assert.Contains("KIND:       Service\n", stdout, StringComparison.Ordinal);
        Assert.Contains("FIELD: externalTrafficPolicy <string>", stdout, StringComparison.Ordinal);
        // Kubernetes' own text (ServiceSpec.externalTrafficPolicy in k8s.io/api/core/v1/types.go), as kubectl wraps it.
        Assert.Contains("externalTrafficPolicy describes how nodes distribute service traffic they", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Explain_PodContainersRecursive_ListsNestedFields()
    {
        var stdout = await _kubectl.OkAsync("explain", "pods.spec.containers", "--recursive");
        _output.WriteLine(stdout);

        Assert.Contains("FIELD: containers <[]Container>", stdout, StringComparison.Ordinal);
        Assert.Contains("List of containers belonging to the pod.", stdout, StringComparison.Ordinal);
        Assert.Contains("  name\t<string>", stdout, StringComparison.Ordinal);
        Assert.Contains("  ports\t<[]ContainerPort>\n    containerPort\t<integer> -required-\n", stdout, StringComparison.Ordinal);
        Assert.Contains("  env\t<[]EnvVar>\n", stdout, StringComparison.Ordinal);
        Assert.Contains("      configMapKeyRef\t<ConfigMapKeySelector>\n", stdout, StringComparison.Ordinal);
        Assert.Contains("  resources\t<ResourceRequirements>\n", stdout, StringComparison.Ordinal);
        Assert.Contains("    limits\t<map[string]Quantity>\n", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Explain_ServicePorts_ShowsTypesOfReferencedSchemas()
    {
        var stdout = await _kubectl.OkAsync("explain", "svc.spec.ports");
        _output.WriteLine(stdout);

        Assert.Contains("FIELD: ports <[]ServicePort>", stdout, StringComparison.Ordinal);
        Assert.Contains("  port\t<integer> -required-\n", stdout, StringComparison.Ordinal);
        Assert.Contains("  targetPort\t<IntOrString>\n", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Apply_ExistingObject_PatchesFromOpenApiV3WithoutAskingForV2()
    {
        await _server.Client.CoreV1.CreateNamespaceAsync(Objects.Namespace("kc-openapi"));
        var file = Path.Combine(_server.DataDir, "openapi-svc.yaml");
        const string Yaml = """
            apiVersion: v1
            kind: Service
            metadata:
              name: web
            spec:
              ports:
              - name: http
                port: 80
              - name: https
                port: 443
            """;
        await File.WriteAllTextAsync(file, Yaml);
        await _kubectl.OkAsync("apply", "-n", "kc-openapi", "-f", file);
        await File.WriteAllTextAsync(file, Yaml.Replace("port: 443", "port: 8443", StringComparison.Ordinal));

        var second = await _kubectl.RunAsync(["apply", "-n", "kc-openapi", "-f", file, "-v=6"]);
        var service = await _server.Client.CoreV1.ReadNamespacedServiceAsync("web", "kc-openapi");

        Assert.True(second.ExitCode == 0, second.Stderr);
        Assert.Equal("service/web configured", second.Stdout.Trim());
        // kubectl 1.32 (apply/patcher.go) asks for /openapi/v2 only when the v3 PATCH lacks strategic merge.
        Assert.Contains("/openapi/v3/api/v1?hash=", second.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("/openapi/v2", second.Stderr, StringComparison.Ordinal);
        Assert.Equal([("http", 80), ("https", 8443)], service.Spec.Ports.Select(p => (p.Name, p.Port)));
    }
}
