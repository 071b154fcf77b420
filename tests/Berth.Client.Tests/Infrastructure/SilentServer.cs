using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Berth.Client.Tests.Infrastructure;

/// <summary>A loopback server that accepts connections and then never answers, at the stage <see cref="Stage"/> says.</summary>
internal sealed class SilentServer : IAsyncDisposable
{
    private readonly LoopbackListener _listener;
    private readonly Stage _stage;
    private readonly X509Certificate2 _certificate;

    public SilentServer(Stage stage)
    {
        _stage = stage;
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=silent", key, HashAlgorithmName.SHA256);
        using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        _certificate = X509CertificateLoader.LoadPkcs12(cert.Export(X509ContentType.Pfx), null);
        _listener = new LoopbackListener(HoldAsync);
    }

    public enum Stage
    {
        /// <summary>TCP accepted; no TLS handshake.</summary>
        Tcp,

        /// <summary>TLS handshake done (HTTP/1.1); no answer to the request.</summary>
        Tls,

        /// <summary>The response headers of a streamed 200 are sent; then nothing, ever (a watch gone silent).</summary>
        Headers,
    }

    public string Url => $"https://127.0.0.1:{_listener.Port}";

    public async ValueTask DisposeAsync()
    {
        await _listener.DisposeAsync();
        _certificate.Dispose();
    }

    private async Task HoldAsync(Stream stream, CancellationToken ct)
    {
        if (_stage != Stage.Tcp)
        {
            await using var tls = new SslStream(stream, leaveInnerStreamOpen: true);
            await tls.AuthenticateAsServerAsync(
                new SslServerAuthenticationOptions { ServerCertificate = _certificate, ApplicationProtocols = [SslApplicationProtocol.Http11] },
                ct);
            if (_stage == Stage.Headers)
            {
                await HttpHead.ReadAsync(tls, ct);
                await tls.WriteAsync(Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"), ct);
                await tls.FlushAsync(ct);
            }

            await Task.Delay(Timeout.Infinite, ct);
        }

        await Task.Delay(Timeout.Infinite, ct);
    }
}
