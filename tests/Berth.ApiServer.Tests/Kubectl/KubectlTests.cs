using System.Diagnostics;
using Berth.ApiServer.Tests.Infrastructure;
using k8s;
using k8s.Models;

namespace Berth.ApiServer.Tests.Kubectl;

/// <summary>The installed kubectl, unchanged, against a real Berth server.</summary>
public sealed class KubectlTests : IClassFixture<BerthServer>
{
    private const string ServiceYaml = """
        apiVersion: v1
        kind: Service
        metadata:
          name: web
          labels:
            app: web
        spec:
          selector:
            app: web
          ports:
          - name: http
            port: 80
            targetPort: 8080
        """;

    private const string DeploymentYaml = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
        spec:
          replicas: 2
          selector:
            matchLabels:
              app: web
          template:
            metadata:
              labels:
                app: web
            spec:
              containers:
              - name: nginx
                image: nginx:1.27
                env:
                - name: A
                  value: "1"
                - name: B
                  value: "2"
        """;

    private readonly BerthServer _server;
    private readonly Infrastructure.Kubectl _kubectl;

    public KubectlTests(BerthServer server)
    {
        _server = server;
        _kubectl = new Infrastructure.Kubectl(server.KubeconfigPath, server.DataDir);
    }

    private string WriteFile(string name, string content)
    {
        var path = Path.Combine(_server.DataDir, name);
        File.WriteAllText(path, content);
        return path;
    }

    [Fact]
    public async Task Version_ShowsServerVersion()
    {
        var output = await _kubectl.OkAsync("version");

        Assert.Contains("Server Version: v1.32.0+berth", output);
    }

    [Fact]
    public async Task ApiResources_ListsTheServedKinds()
    {
        var output = await _kubectl.OkAsync("api-resources");

        Assert.Matches(@"services\s+svc\s+v1\s+true\s+Service", output);
        Assert.Matches(@"deployments\s+deploy\s+apps/v1\s+true\s+Deployment", output);
        Assert.Matches(@"endpointslices\s+discovery.k8s.io/v1\s+true\s+EndpointSlice", output);
        Assert.Matches(@"leases\s+coordination.k8s.io/v1\s+true\s+Lease", output);
    }

    [Fact]
    public async Task ServiceLifecycle_CreateGetLabelDescribeDelete()
    {
        await _server.Client.CoreV1.CreateNamespaceAsync(Objects.Namespace("kc-svc"));
        var file = WriteFile("svc.yaml", ServiceYaml);

        var created = await _kubectl.OkAsync("create", "-n", "kc-svc", "-f", file);
        var table = await _kubectl.OkAsync("get", "-n", "kc-svc", "svc");
        var wide = await _kubectl.OkAsync("get", "-n", "kc-svc", "svc", "-o", "wide");
        var yaml = await _kubectl.OkAsync("get", "-n", "kc-svc", "svc", "web", "-o", "yaml");
        var labelled = await _kubectl.OkAsync("label", "-n", "kc-svc", "svc", "web", "tier=front");
        var describe = await _kubectl.OkAsync("describe", "-n", "kc-svc", "svc", "web");
        var deleted = await _kubectl.OkAsync("delete", "-n", "kc-svc", "svc", "web");

        Assert.Equal("service/web created", created.Trim());
        Assert.Matches(@"NAME\s+TYPE\s+CLUSTER-IP\s+EXTERNAL-IP\s+PORT\(S\)\s+AGE", table);
        Assert.Matches(@"web\s+ClusterIP\s+\S+\s+<none>\s+80/TCP\s+\d+s", table);
        Assert.Matches(@"SELECTOR\s*\n.*app=web", wide);
        Assert.Contains("kind: Service", yaml);
        Assert.Contains("targetPort: 8080", yaml);
        Assert.Equal("service/web labeled", labelled.Trim());
        Assert.Matches(@"Name:\s+web", describe);
        Assert.Matches(@"Labels:\s+app=web\s+tier=front", describe);
        Assert.Matches(@"Selector:\s+app=web", describe);
        Assert.Equal("service \"web\" deleted", deleted.Trim());
    }

    [Fact]
    public async Task CordonUncordon_NodeWithoutUnschedulable_SchedulingDisabledThenEnabled()
    {
        var name = "kc-node-" + Guid.NewGuid().ToString("N")[..8];
        await _server.Client.CoreV1.CreateNodeAsync(new V1Node { Metadata = new V1ObjectMeta { Name = name }, Spec = new V1NodeSpec { PodCIDR = "127.244.8.0/24" } });

        var cordoned = await _kubectl.OkAsync("cordon", name);
        var table = await _kubectl.OkAsync("get", "node", name);
        var spec = (await _server.Client.CoreV1.ReadNodeAsync(name)).Spec;
        var uncordoned = await _kubectl.OkAsync("uncordon", name);
        var after = (await _server.Client.CoreV1.ReadNodeAsync(name)).Spec;

        Assert.Equal($"node/{name} cordoned", cordoned.Trim());
        Assert.Matches(name + @"\s+\S+,SchedulingDisabled\s", table);
        Assert.True(spec.Unschedulable);
        Assert.Equal($"node/{name} uncordoned", uncordoned.Trim());
        Assert.NotEqual(true, after.Unschedulable);
    }

    // kubectl debug patches pods/ephemeralcontainers; Berth answers as a cluster without the subresource (404, empty
    // details), which kubectl reports with Berth's reason.
    [Fact]
    public async Task Debug_EphemeralContainer_RefusedWithBerthsReason()
    {
        await _server.Client.CoreV1.CreateNamespaceAsync(Objects.Namespace("kc-debug"));
        await _server.Client.CoreV1.CreateNamespacedPodAsync(Objects.Pod("target"), "kc-debug");

        var result = await _kubectl.RunAsync(["debug", "-n", "kc-debug", "target", "--image=busybox", "--profile=general"]);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(
            "error: ephemeral containers are disabled for this cluster (error from server: \"Berth does not support ephemeral containers: a pod's containers are host processes, and no container can be added to a running pod; use kubectl exec to run a command in one of its containers\")",
            result.Stderr.Trim());
        Assert.Empty((await _server.Client.CoreV1.ReadNamespacedPodAsync("target", "kc-debug")).Spec.EphemeralContainers ?? []);
    }

    [Fact]
    public async Task Apply_TwiceWithChange_StrategicMergePatchApplied()
    {
        await _server.Client.CoreV1.CreateNamespaceAsync(Objects.Namespace("kc-apply"));
        var file = WriteFile("deploy.yaml", DeploymentYaml);

        var first = await _kubectl.OkAsync("apply", "-n", "kc-apply", "-f", file);
        WriteFile("deploy.yaml", DeploymentYaml.Replace("replicas: 2", "replicas: 3").Replace("nginx:1.27", "nginx:1.28").Replace("""
                - name: B
                  value: "2"
        """, "", StringComparison.Ordinal));
        var second = await _kubectl.OkAsync("apply", "-n", "kc-apply", "-f", file);
        var third = await _kubectl.OkAsync("apply", "-n", "kc-apply", "-f", file);
        var deployment = await _server.Client.AppsV1.ReadNamespacedDeploymentAsync("web", "kc-apply");

        Assert.Equal("deployment.apps/web created", first.Trim());
        Assert.Equal("deployment.apps/web configured", second.Trim());
        Assert.Equal("deployment.apps/web unchanged", third.Trim());
        Assert.Equal(3, deployment.Spec.Replicas);
        var container = Assert.Single(deployment.Spec.Template.Spec.Containers);
        Assert.Equal("nginx:1.28", container.Image);
        Assert.Equal(["A"], container.Env.Select(e => e.Name));
        Assert.True(deployment.Metadata.Annotations.ContainsKey("kubectl.kubernetes.io/last-applied-configuration"));
    }

    [Fact]
    public async Task Scale_Deployment_ChangesReplicas()
    {
        await _server.Client.CoreV1.CreateNamespaceAsync(Objects.Namespace("kc-scale"));
        await _kubectl.OkAsync("apply", "-n", "kc-scale", "-f", WriteFile("scale.yaml", DeploymentYaml));

        var output = await _kubectl.OkAsync("scale", "-n", "kc-scale", "deployment", "web", "--replicas=5");
        var deployment = await _server.Client.AppsV1.ReadNamespacedDeploymentAsync("web", "kc-scale");

        Assert.Equal("deployment.apps/web scaled", output.Trim());
        Assert.Equal(5, deployment.Spec.Replicas);
    }

    [Fact]
    public async Task Create_InvalidService_PrintsEachFieldError()
    {
        var file = WriteFile("bad.yaml", """
            apiVersion: v1
            kind: Service
            metadata:
              name: bad
            spec:
              ports:
              - name: a
                port: 70000
              - name: b
                port: 81
                protocol: ICMP
            """);

        var result = await _kubectl.RunAsync(["create", "-f", file]);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("The Service \"bad\" is invalid:", result.Stderr);
        Assert.Contains("* spec.ports[0].port: Invalid value: 70000: must be between 1 and 65535, inclusive", result.Stderr);
        Assert.Contains("* spec.ports[1].protocol: Unsupported value: \"ICMP\": supported values: \"SCTP\", \"TCP\", \"UDP\"", result.Stderr);
    }

    [Fact]
    public async Task GetWatch_PrintsNewObjectsAsTheyArrive()
    {
        await _server.Client.CoreV1.CreateNamespaceAsync(Objects.Namespace("kc-watch"));
        using var process = Process.Start(_kubectl.StartInfo("get", "-n", "kc-watch", "configmaps", "-w"))!;
        try
        {
            var lines = new List<string>();
            var reader = Task.Run(async () =>
            {
                while (await process.StandardOutput.ReadLineAsync() is { } line)
                {
                    lock (lines)
                    {
                        lines.Add(line);
                    }

                    if (line.StartsWith("watched", StringComparison.Ordinal))
                    {
                        return;
                    }
                }
            });

            await Task.Delay(TimeSpan.FromSeconds(1));
            await _kubectl.OkAsync("apply", "-n", "kc-watch", "-f", WriteFile("watched.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: watched\ndata:\n  a: b\n"));
            var finished = await Task.WhenAny(reader, Task.Delay(TimeSpan.FromSeconds(30)));

            Assert.Same(reader, finished);
            lock (lines)
            {
                Assert.Contains(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^watched\s+1\s+\d+s$"));
            }
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task Delete_Deployment_ReportsDeleted()
    {
        await _server.Client.CoreV1.CreateNamespaceAsync(Objects.Namespace("kc-del"));
        await _kubectl.OkAsync("apply", "-n", "kc-del", "-f", WriteFile("del.yaml", DeploymentYaml));

        var output = await _kubectl.OkAsync("delete", "-n", "kc-del", "deployment", "web");

        Assert.Equal("deployment.apps \"web\" deleted", output.Trim());
    }
}
