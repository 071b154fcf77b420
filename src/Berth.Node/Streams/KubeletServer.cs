using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Berth.Node.Metrics;
using Berth.Node.Pods;
using Berth.Node.Runtime;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Node.Streams;

/// <summary>
/// The agent's kubelet API: HTTPS on <see cref="NodeAgentOptions.NodeAddress"/>:<see cref="NodeAgentOptions.KubeletPort"/>
/// serving <c>/containerLogs</c>, <c>/exec</c>, <c>/portForward</c>, <c>/metrics/resource</c> and <c>/healthz</c> for the API server, which
/// proxies the <c>pods/log|exec|portforward</c> subresources here. The serving certificate is self-signed at start (the
/// kubelet's default; the API server does not verify it) and every client must present a certificate issued by the
/// cluster CA.
/// </summary>
public sealed partial class KubeletServer : IAsyncDisposable
{
    private readonly NodeAgentOptions _options;
    private readonly X509Certificate2 _clientCa;
    private readonly IContainerDirectory _pods;
    private readonly ILogger _logger;
    private readonly ContainerLogReader _logs;
    private readonly ExecSession _exec;
    private readonly ResourceCollector _resources;
    private readonly X509Certificate2 _serving;
    private WebApplication? _app;

    /// <param name="options">The agent's options: <c>NodeAddress</c>, <c>KubeletPort</c> (0 = a free port), <c>NodeName</c>, <c>TimeProvider</c>.</param>
    /// <param name="clientCa">The cluster CA (the agent's kubeconfig <c>certificate-authority-data</c>); clients must chain to it.</param>
    /// <param name="pods">What this node runs (implemented by the pod runtime).</param>
    /// <param name="launcher">Starts exec processes, so none outlives the agent.</param>
    /// <param name="loggerFactory">Logs under <c>Berth.Node.Streams</c> (event ids 6300–6399).</param>
    public KubeletServer(NodeAgentOptions options, X509Certificate2 clientCa, IContainerDirectory pods, ProcessLauncher launcher, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(clientCa);
        ArgumentNullException.ThrowIfNull(pods);
        ArgumentNullException.ThrowIfNull(launcher);
        _options = options;
        _clientCa = clientCa;
        _pods = pods;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("Berth.Node.Streams");
        _logs = new ContainerLogReader(options.TimeProvider, TimeSpan.FromMilliseconds(100));
        _exec = new ExecSession(launcher, _logger);
        _resources = new ResourceCollector(pods, options.TimeProvider);
        _serving = CreateServingCertificate(options, options.TimeProvider.GetUtcNow());
    }

    /// <summary>The HTTPS port actually bound (what the Node's <c>status.daemonEndpoints.kubeletEndpoint.Port</c> says).</summary>
    public int Port { get; private set; }

    /// <summary>The self-signed serving certificate.</summary>
    public X509Certificate2 ServingCertificate => _serving;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_app is not null)
        {
            throw new InvalidOperationException("the kubelet server is already started");
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(_options.NodeAddress, _options.KubeletPort, listen =>
            {
                listen.Protocols = HttpProtocols.Http1; // upgrades (SPDY, WebSocket) are HTTP/1.1
                listen.UseHttps(https =>
                {
                    https.ServerCertificate = _serving;
                    https.ClientCertificateMode = ClientCertificateMode.RequireCertificate;
                    https.ClientCertificateValidation = (certificate, _, _) => IssuedBy(certificate, _clientCa) && InMastersGroup(certificate);
                });
            });
        });
        var app = builder.Build();
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(30) });
        app.Run(HandleAsync);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        _app = app;
        Port = _options.KubeletPort != 0
            ? _options.KubeletPort
            : new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Port;
        Log.Listening(_logger, _options.NodeAddress.ToString(), Port);
    }

    /// <summary>Whether <paramref name="certificate"/> chains to <paramref name="ca"/> and is valid for client authentication now.</summary>
    public static bool IssuedBy(X509Certificate2 certificate, X509Certificate2 ca)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(new Oid("1.3.6.1.5.5.7.3.2"));
        return chain.Build(certificate);
    }

    /// <summary>
    /// Whether <paramref name="certificate"/> names the group <c>system:masters</c> (an O of its subject): the API
    /// server's kubelet client is in it, node agents (<c>system:nodes</c>) and other users of the cluster CA are not,
    /// so one node cannot exec into or read the logs of another node's pods. (A kubelet asks the API server with a
    /// SubjectAccessReview; this fixed rule stands for that check: only the cluster admin uses the kubelet API.)
    /// </summary>
    public static bool InMastersGroup(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        foreach (var rdn in certificate.SubjectName.EnumerateRelativeDistinguishedNames())
        {
            if (!rdn.HasMultipleElements && rdn.GetSingleElementType().Value == "2.5.4.10" && rdn.GetSingleElementValue() == "system:masters")
            {
                return true;
            }
        }

        return false;
    }

    private static X509Certificate2 CreateServingCertificate(NodeAgentOptions options, DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={options.NodeName}@{now.ToUnixTimeSeconds()}", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(options.NodeAddress);
        if (!options.NodeAddress.Equals(IPAddress.Loopback))
        {
            san.AddIpAddress(IPAddress.Loopback);
        }

        san.AddDnsName(options.NodeName);
        san.AddDnsName("localhost");
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        return request.CreateSelfSigned(now.AddMinutes(-5), now.AddYears(1));
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync().ConfigureAwait(false);
            await _app.DisposeAsync().ConfigureAwait(false);
            _app = null;
        }

        _serving.Dispose();
    }
}
