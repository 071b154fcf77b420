using System.Net.Http;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Berth.Node.Tests.Streams;

[Collection(StreamsCollection.Name)]
public sealed class KubeletServerTlsTests(StreamsCluster cluster)
{
    private HttpClient Client(X509Certificate2? certificate)
    {
        var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true };
        if (certificate is not null)
        {
            handler.ClientCertificates.Add(certificate);
        }

        return new HttpClient(handler) { BaseAddress = new Uri($"https://127.0.0.1:{cluster.Kubelet.Port}") };
    }

    [Fact]
    public async Task Healthz_WithAClientCertificateOfTheClusterCa_Ok()
    {
        using var certificate = cluster.Server.Host.Credentials.IssueClientCertificate("test", ["system:masters"], DateTimeOffset.UtcNow);
        using var http = Client(certificate);

        var body = await http.GetStringAsync("/healthz");

        Assert.Equal("ok", body);
    }

    [Fact]
    public async Task AnyRequest_WithANodesCertificateOfTheClusterCa_FailsTheHandshake()
    {
        using var node = cluster.Server.Host.Credentials.IssueClientCertificate("system:node:other", ["system:nodes"], DateTimeOffset.UtcNow);
        using var http = Client(node);

        await Assert.ThrowsAsync<HttpRequestException>(() => http.GetStringAsync("/healthz"));
    }

    [Fact]
    public async Task AnyRequest_WithoutOrWithAForeignCertificate_FailsTheHandshake()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=stranger", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        using var foreign = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddDays(1));
        using var anonymous = Client(null);
        using var stranger = Client(foreign);

        await Assert.ThrowsAsync<HttpRequestException>(() => anonymous.GetStringAsync("/healthz"));
        await Assert.ThrowsAsync<HttpRequestException>(() => stranger.GetStringAsync("/healthz"));
    }
}
