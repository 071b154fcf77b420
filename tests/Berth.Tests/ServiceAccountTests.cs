using System.Text.Json.Nodes;
using Berth.Tests.Infrastructure;

namespace Berth.Tests;

/// <summary>
/// Secrets and service accounts as a user meets them in <c>berth up</c>: the <c>default</c> account and
/// <c>kube-root-ca.crt</c> in a new namespace, <c>kubectl create token default</c> authenticating as that account, and a
/// real pod (agnhost) whose environment comes from a Secret made by <c>kubectl create secret generic</c>.
/// </summary>
public sealed class ServiceAccountTests
{
    private const string PodManifest = """
        apiVersion: v1
        kind: Pod
        metadata:
          name: reader
          namespace: sa-walk
        spec:
          containers:
          - name: agnhost
            image: registry.k8s.io/e2e-test-images/agnhost:2.53
            args: ["pause"]
            env:
            - name: DB_PASSWORD
              valueFrom:
                secretKeyRef:
                  name: db
                  key: password
            envFrom:
            - secretRef:
                name: db
              prefix: DB_
        """;

    [Fact]
    public async Task Up_NewNamespace_DefaultAccountTokenRootCaAndSecretEnv()
    {
        await using var cluster = await Cluster.UpAsync();
        var kubectl = cluster.Kubectl;
        await kubectl.OkAsync("create", "namespace", "sa-walk");
        await kubectl.OkAsync("create", "secret", "generic", "db", "--from-literal=password=s3cr=t", "--from-literal=user=app", "-n", "sa-walk");
        var manifest = Path.Combine(cluster.DataDir, "reader.yaml");
        await File.WriteAllTextAsync(manifest, PodManifest);

        await kubectl.OkAsync("apply", "-f", manifest);
        var token = (await kubectl.OkAsync("create", "token", "default", "-n", "sa-walk")).Trim();
        var whoami = JsonNode.Parse(await kubectl.OkAsync("--token", token, "auth", "whoami", "-o", "json"))!;
        var ca = await cluster.KubectlUntilAsync(o => o.Contains("BEGIN CERTIFICATE", StringComparison.Ordinal), TimeSpan.FromSeconds(30), "get", "configmap", "kube-root-ca.crt", "-n", "sa-walk", "-o", "jsonpath={.data.ca\\.crt}");
        await kubectl.OkAsync("wait", "--for=condition=Ready", "pod/reader", "-n", "sa-walk", "--timeout=120s");
        var env = await kubectl.OkAsync("exec", "reader", "-n", "sa-walk", "--", "env");
        var pod = JsonNode.Parse(await kubectl.OkAsync("get", "pod", "reader", "-n", "sa-walk", "-o", "json"))!;

        Assert.Equal("system:serviceaccount:sa-walk:default", (string?)whoami["status"]!["userInfo"]!["username"]);
        Assert.Equal(File.ReadAllText(Path.Combine(cluster.DataDir, "ca.crt")).Trim(), ca.Trim());
        Assert.Contains("DB_PASSWORD=s3cr=t\n", env, StringComparison.Ordinal);
        Assert.Contains("DB_user=app\n", env, StringComparison.Ordinal);
        Assert.Equal("default", (string?)pod["spec"]!["serviceAccountName"]);
        Assert.StartsWith("kube-api-access-", (string?)pod["spec"]!["volumes"]![0]!["name"], StringComparison.Ordinal);
    }
}
