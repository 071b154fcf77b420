using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Berth.ApiServer.Tests.Infrastructure;
using k8s;
using k8s.Models;

namespace Berth.ApiServer.Tests.Secrets;

/// <summary>
/// Secrets against the real server with the installed kubectl and the KubernetesClient: kubectl's generators, what
/// <c>get -o yaml</c> shows (data base64, stringData never stored), the table, watch, and Kubernetes' validation errors.
/// </summary>
public sealed class SecretTests : IClassFixture<BerthServer>
{
    private readonly BerthServer _server;
    private readonly Infrastructure.Kubectl _kubectl;

    public SecretTests(BerthServer server)
    {
        _server = server;
        _kubectl = new Infrastructure.Kubectl(server.KubeconfigPath, server.DataDir);
    }

    [Fact]
    public async Task CreateGeneric_FromLiteral_DataBase64AndTable()
    {
        await _kubectl.OkAsync("create", "namespace", "sec-generic");

        var created = await _kubectl.OkAsync("create", "secret", "generic", "db", "--from-literal=user=admin", "--from-literal=password=s3cr=t", "-n", "sec-generic");
        var password = await _kubectl.OkAsync("get", "secret", "db", "-n", "sec-generic", "-o", "jsonpath={.data.password}");
        var yaml = await _kubectl.OkAsync("get", "secret", "db", "-n", "sec-generic", "-o", "yaml");
        var table = await _kubectl.OkAsync("get", "secrets", "-n", "sec-generic");

        Assert.Equal("secret/db created", created.Trim());
        Assert.Equal("s3cr=t", Encoding.UTF8.GetString(Convert.FromBase64String(password)));
        Assert.Contains("  user: YWRtaW4=\n", yaml);
        Assert.Contains("type: Opaque\n", yaml);
        Assert.DoesNotContain("stringData", yaml);
        Assert.Matches(@"NAME\s+TYPE\s+DATA\s+AGE\n", table);
        Assert.Matches(@"\ndb\s+Opaque\s+2\s+\S+", table);
    }

    [Fact]
    public async Task CreateTls_CertAndKeyFiles_TlsTypeWithBothKeys()
    {
        await _kubectl.OkAsync("create", "namespace", "sec-tls");
        var (certFile, keyFile) = WriteCertificate("sec-tls");

        await _kubectl.OkAsync("create", "secret", "tls", "web-tls", "--cert", certFile, "--key", keyFile, "-n", "sec-tls");
        var secret = await _server.Client.CoreV1.ReadNamespacedSecretAsync("web-tls", "sec-tls");
        var table = await _kubectl.OkAsync("get", "secret", "web-tls", "-n", "sec-tls");

        Assert.Equal("kubernetes.io/tls", secret.Type);
        Assert.Equal(File.ReadAllText(certFile), Encoding.UTF8.GetString(secret.Data["tls.crt"]));
        Assert.Equal(["tls.crt", "tls.key"], secret.Data.Keys.Order(StringComparer.Ordinal));
        Assert.Matches(@"web-tls\s+kubernetes.io/tls\s+2\s+", table);
    }

    [Fact]
    public async Task Apply_StringData_MergedIntoDataAndNeverStored()
    {
        await _kubectl.OkAsync("create", "namespace", "sec-apply");
        const string Manifest = """
            apiVersion: v1
            kind: Secret
            metadata:
              name: app
              namespace: sec-apply
            type: kubernetes.io/basic-auth
            data:
              username: b2xk
            stringData:
              username: new
              password: pw
            """;

        await _kubectl.OkAsync("apply", "-f", WriteFile("app.yaml", Manifest));
        var secret = await _server.Client.CoreV1.ReadNamespacedSecretAsync("app", "sec-apply");
        var raw = await _kubectl.OkAsync("get", "--raw", "/api/v1/namespaces/sec-apply/secrets/app");

        Assert.Equal("new", Encoding.UTF8.GetString(secret.Data["username"]));
        Assert.Equal("pw", Encoding.UTF8.GetString(secret.Data["password"]));
        Assert.Null(secret.StringData);
        // The last-applied annotation holds the manifest, stringData included, as in Kubernetes; the object has none.
        Assert.Null(System.Text.Json.Nodes.JsonNode.Parse(raw)!["stringData"]);
    }

    [Fact]
    public async Task Client_CrudAndWatch_EventsInOrder()
    {
        var client = _server.Client;
        await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "sec-client" } });
        var before = await client.CoreV1.ListNamespacedSecretAsync("sec-client");
        var created = await client.CoreV1.CreateNamespacedSecretAsync(
            new V1Secret { Metadata = new V1ObjectMeta { Name = "s" }, StringData = new Dictionary<string, string> { ["k"] = "v1" } }, "sec-client");
        created.StringData = new Dictionary<string, string> { ["k"] = "v2" };
        var replaced = await client.CoreV1.ReplaceNamespacedSecretAsync(created, "s", "sec-client");
        await client.CoreV1.DeleteNamespacedSecretAsync("s", "sec-client");

        var seen = new List<string>();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await foreach (var (type, item) in client.CoreV1.WatchListNamespacedSecretAsync("sec-client", resourceVersion: before.Metadata.ResourceVersion, cancellationToken: cts.Token))
        {
            seen.Add($"{type}:{Encoding.UTF8.GetString(item.Data["k"])}");
            if (type == WatchEventType.Deleted)
            {
                break;
            }
        }

        Assert.Equal("Opaque", created.Type);
        Assert.Equal("v2", Encoding.UTF8.GetString(replaced.Data["k"]));
        Assert.Null(replaced.StringData);
        Assert.Equal(["Added:v1", "Modified:v2", "Deleted:v2"], seen);
    }

    [Fact]
    public async Task Create_TlsWithoutKey_InvalidWithKubernetesMessage()
    {
        await _kubectl.OkAsync("create", "namespace", "sec-invalid");
        var secret = new V1Secret
        {
            Metadata = new V1ObjectMeta { Name = "bad" },
            Type = "kubernetes.io/tls",
            Data = new Dictionary<string, byte[]> { ["tls.crt"] = [1], ["bad key"] = [2] },
        };

        var status = await StatusAssert.FailsAsync(() => _server.Client.CoreV1.CreateNamespacedSecretAsync(secret, "sec-invalid"), 422);

        Assert.Equal("Secret \"bad\" is invalid: [data[bad key]: Invalid value: \"bad key\": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+'), data[tls.key]: Required value]", status.Message);
    }

    [Fact]
    public async Task Update_ImmutableSecretOrType_Refused()
    {
        await _kubectl.OkAsync("create", "namespace", "sec-immutable");
        await _kubectl.OkAsync("create", "secret", "generic", "frozen", "--from-literal=a=1", "-n", "sec-immutable");
        await _kubectl.OkAsync("patch", "secret", "frozen", "-n", "sec-immutable", "-p", """{"immutable":true}""");

        var data = await _kubectl.RunAsync(["patch", "secret", "frozen", "-n", "sec-immutable", "-p", """{"stringData":{"a":"2"}}"""]);
        var type = await _kubectl.RunAsync(["patch", "secret", "frozen", "-n", "sec-immutable", "--type=merge", "-p", """{"type":"example.com/other"}"""]);

        Assert.Equal(1, data.ExitCode);
        Assert.Contains("data: Forbidden: field is immutable when `immutable` is set", data.Stderr);
        Assert.Contains("type: Invalid value: \"example.com/other\": field is immutable", type.Stderr);
    }

    private (string Cert, string Key) WriteCertificate(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=" + name, key, HashAlgorithmName.SHA256);
        using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddDays(1));
        return (WriteFile(name + ".crt", cert.ExportCertificatePem() + "\n"), WriteFile(name + ".key", key.ExportPkcs8PrivateKeyPem() + "\n"));
    }

    private string WriteFile(string name, string text)
    {
        var path = Path.Combine(_server.DataDir, name);
        File.WriteAllText(path, text);
        return path;
    }
}
