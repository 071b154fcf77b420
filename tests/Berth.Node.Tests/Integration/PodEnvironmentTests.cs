using k8s;
using k8s.Models;

namespace Berth.Node.Tests.Integration;

[Collection(NodeCollection.Name)]
public sealed class PodEnvironmentTests(NodeFixture fixture)
{
    private readonly NodeFixture _fixture = fixture;

    [Fact]
    public async Task ServiceVariables_OfServicesCreatedBeforeThePod_AreSet_AndOfLaterOnes_AreNot()
    {
        var ns = await _fixture.NewNamespaceAsync();
        var before = await _fixture.Client.CreateAsync(Service(ns, "redis-primary", 6379, "redis"), CancellationToken.None);

        // The agent's service informer sees it about when the controllers do (the kubelet has the same race).
        await Eventually.TrueAsync(async () => (await _fixture.Kubernetes.DiscoveryV1.ListNamespacedEndpointSliceAsync(ns)).Items.Count > 0, "the service's EndpointSlice");
        await _fixture.Client.CreateAsync(Pods.Shell(ns, "envpod", "env; sleep 3600"), CancellationToken.None);
        await Pods.WaitAsync(_fixture.Client, ns, "envpod", Pods.IsReady, "ready");
        await _fixture.Client.CreateAsync(Service(ns, "late", 80, null), CancellationToken.None);

        var env = await EnvAsync(ns, "envpod");

        var ip = before.Spec.ClusterIP;
        Assert.Equal(ip, env["REDIS_PRIMARY_SERVICE_HOST"]);
        Assert.Equal("6379", env["REDIS_PRIMARY_SERVICE_PORT"]);
        Assert.Equal("6379", env["REDIS_PRIMARY_SERVICE_PORT_REDIS"]);
        Assert.Equal($"tcp://{ip}:6379", env["REDIS_PRIMARY_PORT"]);
        Assert.Equal($"tcp://{ip}:6379", env["REDIS_PRIMARY_PORT_6379_TCP"]);
        Assert.Equal("tcp", env["REDIS_PRIMARY_PORT_6379_TCP_PROTO"]);
        Assert.Equal("6379", env["REDIS_PRIMARY_PORT_6379_TCP_PORT"]);
        Assert.Equal(ip, env["REDIS_PRIMARY_PORT_6379_TCP_ADDR"]);
        Assert.Equal("127.96.0.1", env["KUBERNETES_SERVICE_HOST"]);
        Assert.Equal("443", env["KUBERNETES_SERVICE_PORT"]);
        Assert.DoesNotContain("LATE_SERVICE_HOST", env.Keys);
        Assert.Equal("envpod", env["HOSTNAME"]);
        var pod = await _fixture.Client.GetAsync<V1Pod>(ns, "envpod", CancellationToken.None);
        Assert.Equal(pod!.Status.PodIP, env["POD_IP"]);
    }

    [Fact]
    public async Task EnableServiceLinksFalse_KeepsOnlyTheKubernetesService()
    {
        var ns = await _fixture.NewNamespaceAsync();
        await _fixture.Client.CreateAsync(Service(ns, "db", 5432, null), CancellationToken.None);
        var pod = Pods.Shell(ns, "nolinks", "env; sleep 3600");
        pod.Spec.EnableServiceLinks = false;
        await _fixture.Client.CreateAsync(pod, CancellationToken.None);
        await Pods.WaitAsync(_fixture.Client, ns, "nolinks", Pods.IsReady, "ready");

        var env = await EnvAsync(ns, "nolinks");

        Assert.DoesNotContain("DB_SERVICE_HOST", env.Keys);
        Assert.Contains("KUBERNETES_SERVICE_HOST", env.Keys);
    }

    [Fact]
    public async Task FieldRefsConfigMapsAndExpansion_AreResolvedAsTheKubeletDoes()
    {
        var ns = await _fixture.NewNamespaceAsync();
        await _fixture.Client.CreateAsync(
            new V1ConfigMap
            {
                Metadata = new V1ObjectMeta { Name = "settings", NamespaceProperty = ns },
                Data = new Dictionary<string, string> { ["MODE"] = "fast", ["LEVEL"] = "3" },
            },
            CancellationToken.None);
        var pod = Pods.Shell(ns, "fields", "env; echo ARGS=$0 $1; sleep 3600");
        pod.Metadata.Labels["tier"] = "backend";
        var container = pod.Spec.Containers[0];
        container.Command = ["sh", "-c", "env; echo \"ARGS=$0 $1\"; sleep 3600", "$(MY_NAME)", "$(NOPE)"];
        container.EnvFrom = [new V1EnvFromSource { ConfigMapRef = new V1ConfigMapEnvSource { Name = "settings" }, Prefix = "CFG_" }];
        container.Env =
        [
            new V1EnvVar { Name = "MY_NAME", ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = "metadata.name" } } },
            new V1EnvVar { Name = "MY_NS", ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = "metadata.namespace" } } },
            new V1EnvVar { Name = "MY_TIER", ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = "metadata.labels['tier']" } } },
            new V1EnvVar { Name = "MY_NODE", ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = "spec.nodeName" } } },
            new V1EnvVar { Name = "MY_IP", ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = "status.podIP" } } },
            new V1EnvVar { Name = "MY_HOST_IP", ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = "status.hostIP" } } },
            new V1EnvVar { Name = "MODE", ValueFrom = new V1EnvVarSource { ConfigMapKeyRef = new V1ConfigMapKeySelector { Name = "settings", Key = "MODE" } } },
            new V1EnvVar { Name = "GREETING", Value = "hello-$(MY_NAME)-$(CFG_LEVEL)" },
            new V1EnvVar { Name = "ESCAPED", Value = "$$(MY_NAME)" },
            new V1EnvVar { Name = "UNDEFINED", Value = "x-$(NOT_DEFINED)" },
            new V1EnvVar { Name = "SVC", Value = "$(KUBERNETES_SERVICE_HOST)" },
        ];
        await _fixture.Client.CreateAsync(pod, CancellationToken.None);
        var running = await Pods.WaitAsync(_fixture.Client, ns, "fields", Pods.IsReady, "ready");

        var env = await EnvAsync(ns, "fields");

        Assert.Equal("fields", env["MY_NAME"]);
        Assert.Equal(ns, env["MY_NS"]);
        Assert.Equal("backend", env["MY_TIER"]);
        Assert.Equal(_fixture.NodeName, env["MY_NODE"]);
        Assert.Equal(running.Status.PodIP, env["MY_IP"]);
        Assert.Equal("127.0.0.1", env["MY_HOST_IP"]);
        Assert.Equal("fast", env["MODE"]);
        Assert.Equal("fast", env["CFG_MODE"]);
        Assert.Equal("hello-fields-3", env["GREETING"]);
        Assert.Equal("$(MY_NAME)", env["ESCAPED"]);
        Assert.Equal("x-$(NOT_DEFINED)", env["UNDEFINED"]);
        Assert.Equal("127.96.0.1", env["SVC"]);
        // Ready comes with the start: the echo after env may reach the log a moment later (seen under load).
        await Eventually.TrueAsync(() => Pods.Log(_fixture, ns, "fields").Contains("ARGS=fields $(NOPE)", StringComparison.Ordinal), "the args line in the log");
    }

    [Fact]
    public async Task MissingConfigMap_IsCreateContainerConfigError_UntilItExists()
    {
        var ns = await _fixture.NewNamespaceAsync();
        var pod = Pods.Shell(ns, "needs-config", "sleep 3600");
        pod.Spec.Containers[0].EnvFrom = [new V1EnvFromSource { ConfigMapRef = new V1ConfigMapEnvSource { Name = "later" } }];
        await _fixture.Client.CreateAsync(pod, CancellationToken.None);

        var waiting = await Pods.WaitAsync(_fixture.Client, ns, "needs-config", p => Pods.First(p)?.State?.Waiting?.Reason == "CreateContainerConfigError", "CreateContainerConfigError");
        Assert.Equal("configmap \"later\" not found", Pods.First(waiting)!.State.Waiting.Message);

        await _fixture.Client.CreateAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "later", NamespaceProperty = ns } }, CancellationToken.None);

        await Pods.WaitAsync(_fixture.Client, ns, "needs-config", Pods.IsReady, "ready once the ConfigMap exists");
    }

    [Fact]
    public async Task SecretKeyRefAndEnvFromSecret_AreSet_OptionalMissingSkipped()
    {
        var ns = await _fixture.NewNamespaceAsync();
        await _fixture.Client.CreateAsync(
            new V1Secret
            {
                Metadata = new V1ObjectMeta { Name = "db", NamespaceProperty = ns },
                StringData = new Dictionary<string, string> { ["user"] = "admin", ["password"] = "s3cr=t" },
            },
            CancellationToken.None);
        var pod = Pods.Shell(ns, "secret-env", "env; sleep 3600");
        var container = pod.Spec.Containers[0];
        container.EnvFrom =
        [
            new V1EnvFromSource { SecretRef = new V1SecretEnvSource { Name = "db" }, Prefix = "DB_" },
            new V1EnvFromSource { SecretRef = new V1SecretEnvSource { Name = "absent", Optional = true } },
        ];
        container.Env =
        [
            new V1EnvVar { Name = "PASSWORD", ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = "db", Key = "password" } } },
            new V1EnvVar { Name = "MAYBE", ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = "db", Key = "nope", Optional = true } } },
        ];
        await _fixture.Client.CreateAsync(pod, CancellationToken.None);
        await Pods.WaitAsync(_fixture.Client, ns, "secret-env", Pods.IsReady, "ready");

        var env = await EnvAsync(ns, "secret-env");

        Assert.Equal("s3cr=t", env["PASSWORD"]);
        Assert.Equal("admin", env["DB_user"]);
        Assert.Equal("s3cr=t", env["DB_password"]);
        Assert.DoesNotContain("MAYBE", env.Keys);
    }

    [Fact]
    public async Task MissingSecretKey_IsCreateContainerConfigError_UntilTheSecretHasIt()
    {
        var ns = await _fixture.NewNamespaceAsync();
        var secret = await _fixture.Client.CreateAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = "token", NamespaceProperty = ns } }, CancellationToken.None);
        var pod = Pods.Shell(ns, "needs-key", "sleep 3600");
        pod.Spec.Containers[0].Env = [new V1EnvVar { Name = "TOKEN", ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = "token", Key = "value" } } }];
        await _fixture.Client.CreateAsync(pod, CancellationToken.None);

        var waiting = await Pods.WaitAsync(_fixture.Client, ns, "needs-key", p => Pods.First(p)?.State?.Waiting?.Reason == "CreateContainerConfigError", "CreateContainerConfigError");
        Assert.Equal($"couldn't find key value in Secret {ns}/token", Pods.First(waiting)!.State.Waiting.Message);

        secret.StringData = new Dictionary<string, string> { ["value"] = "abc" };
        await _fixture.Client.UpdateAsync(secret, CancellationToken.None);

        await Pods.WaitAsync(_fixture.Client, ns, "needs-key", Pods.IsReady, "ready once the Secret has the key");
    }

    private async Task<Dictionary<string, string>> EnvAsync(string ns, string pod)
    {
        await Eventually.TrueAsync(() => Task.FromResult(Pods.Log(_fixture, ns, pod).Contains("HOSTNAME=", StringComparison.Ordinal)), "env output");
        var env = new Dictionary<string, string>();
        foreach (var line in Pods.Log(_fixture, ns, pod).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var text = line.Split(' ', 4)[3];
            var eq = text.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
            {
                env[text[..eq]] = text[(eq + 1)..];
            }
        }

        return env;
    }

    private static V1Service Service(string ns, string name, int port, string? portName) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
        Spec = new V1ServiceSpec
        {
            Selector = new Dictionary<string, string> { ["app"] = name },
            Ports = [new V1ServicePort { Name = portName, Port = port, Protocol = "TCP" }],
        },
    };
}
