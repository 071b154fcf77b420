using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Berth.ApiServer.Rest;
using Berth.Core.Errors;
using Berth.Core.Resources;
using k8s.Models;

namespace Berth.ApiServer.Proxy;

/// <summary>
/// How the API server reaches a node's agent, as kube-apiserver reaches a kubelet: the Node's <c>InternalIP</c> and
/// <c>status.daemonEndpoints.kubeletEndpoint.Port</c>, HTTPS with a client certificate issued by the cluster CA. The
/// agent's self-signed serving certificate is not verified (kube-apiserver without
/// <c>--kubelet-certificate-authority</c> does the same).
/// </summary>
internal sealed class KubeletConnector : IDisposable
{
    /// <summary>The kubelet's default port, used when a Node does not say.</summary>
    public const int DefaultKubeletPort = 10250;

    private readonly ObjectStore _objects;
    private readonly ResourceInfo _nodes;
    private readonly X509Certificate2 _clientCertificate;

    public KubeletConnector(ObjectStore objects, ResourceRegistry registry, X509Certificate2 clientCertificate)
    {
        _objects = objects;
        _nodes = registry.Find("", "nodes")!;
        _clientCertificate = clientCertificate;
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            UseProxy = false,
            AutomaticDecompression = System.Net.DecompressionMethods.None,
            ConnectTimeout = TimeSpan.FromSeconds(10),
            SslOptions = new SslClientAuthenticationOptions
            {
                ClientCertificates = [clientCertificate],
                RemoteCertificateValidationCallback = (_, _, _, _) => true, // the agent's certificate is self-signed
            },
        };
        Http = new HttpMessageInvoker(handler);
    }

    /// <summary>For requests that are not upgrades (logs, node proxy); also reaches plain HTTP(S) pod and service backends.</summary>
    public HttpMessageInvoker Http { get; }

    /// <summary>The agent of <paramref name="nodeName"/>: 404 when the Node does not exist, 503 when it has no address.</summary>
    public async Task<ProxyTarget> FindAsync(string nodeName, CancellationToken cancellationToken)
    {
        var stored = await _objects.GetAsync(_nodes, null, nodeName, cancellationToken).ConfigureAwait(false)
            ?? throw StatusErrors.NotFound("", "nodes", nodeName);
        return Target((V1Node)stored.Object);
    }

    /// <summary>The agent of <paramref name="node"/>: 503 when it has no address.</summary>
    public static ProxyTarget Target(V1Node node)
    {
        ArgumentNullException.ThrowIfNull(node);
        var nodeName = node.Metadata?.Name ?? "";
        var addresses = node.Status?.Addresses ?? [];
        var address = addresses.FirstOrDefault(a => a.Type == "InternalIP")?.Address
            ?? addresses.FirstOrDefault(a => a.Type == "ExternalIP")?.Address
            ?? addresses.FirstOrDefault(a => a.Type == "Hostname")?.Address
            ?? throw StatusErrors.ServiceUnavailable($"node \"{nodeName}\" has no address");
        var port = node.Status?.DaemonEndpoints?.KubeletEndpoint?.Port is > 0 and var p ? p : DefaultKubeletPort;
        return new ProxyTarget("https", address, port, Kubelet: true);
    }

    /// <summary>Opens a connection for an upgrade request: TLS with the client certificate to an agent, plain TCP or TLS to a pod.</summary>
    public async Task<Stream> ConnectAsync(ProxyTarget target, CancellationToken cancellationToken)
    {
        var tcp = new TcpClient { NoDelay = true };
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(10));
            await tcp.ConnectAsync(target.Host, target.Port, timeout.Token).ConfigureAwait(false);
            if (target.Scheme != "https")
            {
                return new TcpOwningStream(tcp);
            }

            var tls = new SslStream(new TcpOwningStream(tcp), leaveInnerStreamOpen: false);
            await tls.AuthenticateAsClientAsync(
                new SslClientAuthenticationOptions
                {
                    TargetHost = target.Host,
                    ClientCertificates = target.Kubelet ? [_clientCertificate] : null,
                    RemoteCertificateValidationCallback = (_, _, _, _) => true,
                    ApplicationProtocols = [SslApplicationProtocol.Http11],
                },
                timeout.Token).ConfigureAwait(false);
            return tls;
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException or System.Security.Authentication.AuthenticationException)
        {
            tcp.Dispose();
            if (cancellationToken.IsCancellationRequested)
            {
                throw;
            }

            throw StatusErrors.ServiceUnavailable($"error dialing backend: dial tcp {target.Authority}: {e.Message}");
        }
    }

    public void Dispose()
    {
        Http.Dispose();
        _clientCertificate.Dispose();
    }

    /// <summary>A network stream that also disposes its TcpClient.</summary>
    private sealed class TcpOwningStream(TcpClient tcp) : NetworkStream(tcp.Client, ownsSocket: true)
    {
        protected override void Dispose(bool disposing)
        {
            base.Dispose(disposing);
            if (disposing)
            {
                tcp.Dispose();
            }
        }
    }
}
