using System.Net;
using Berth.ApiServer.Admission;
using Berth.ApiServer.Allocation;
using Berth.ApiServer.Authorization;
using Berth.ApiServer.Discovery;
using Berth.ApiServer.Http;
using Berth.ApiServer.Metrics;
using Berth.ApiServer.Proxy;
using Berth.ApiServer.Rest;
using Berth.ApiServer.Security;
using Berth.Core.Files;
using Berth.Core.Resources;
using Berth.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Berth.ApiServer;

/// <summary>
/// The running API server: the store, the cluster credentials, and Kestrel serving the Kubernetes REST API over
/// HTTPS on every bind address. <see cref="StartAsync"/> returns once it accepts requests and the kubeconfig is written.
/// </summary>
public sealed partial class ApiServerHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly CancellationTokenSource _stopping = new();
    private readonly SemaphoreSlim _inProcessGate = new(1, 1);
    private Task _background = Task.CompletedTask;
    private KubeletConnector? _kubelets;
    private InProcessServer? _inProcess;
    private ServiceAccountKey? _serviceAccountKey;

    private ApiServerHost(WebApplication app, IStore store, ClusterCredentials credentials, ApiServerOptions options, int port)
    {
        _app = app;
        Store = store;
        Credentials = credentials;
        Options = options;
        Port = port;
    }

    public IStore Store { get; }

    public ClusterCredentials Credentials { get; }

    public ApiServerOptions Options { get; }

    /// <summary>The HTTPS port actually bound (useful with <see cref="ApiServerOptions.ApiPort"/> 0).</summary>
    public int Port { get; }

    public string Url => $"https://127.0.0.1:{Port}";

    public string KubeconfigPath => Options.KubeconfigPath;

    /// <summary>The allocation repair loop (tests run a pass directly).</summary>
    internal AllocationRepair AllocationRepair { get; private set; } = null!;

    internal ServiceAllocation ServiceAllocation { get; private set; } = null!;

    public static async Task<ApiServerHost> StartAsync(ApiServerOptions options, ILoggerFactory? loggerFactory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        loggerFactory ??= Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance;
        SecureDataDir(options.DataDir, loggerFactory.CreateLogger("Berth.ApiServer"));
        var credentials = ClusterCredentials.LoadOrCreate(options.DataDir, options.BindAddresses, options.TlsSans, options.TimeProvider);
        options.StartProgress?.Report("certificates");
        var store = await SqliteStore.OpenAsync(
            new SqliteStoreOptions
            {
                Path = options.StorePath,
                HistoryRetention = options.HistoryRetention,
                HistoryRetentionTime = options.HistoryRetentionTime,
                TimeProvider = options.TimeProvider,
                Logger = loggerFactory.CreateLogger("Berth.Storage"),
            },
            cancellationToken).ConfigureAwait(false);
        try
        {
            var registry = ResourceRegistry.Default;
            var objects = new ObjectStore(store);
            await Bootstrap.EnsureNamespacesAsync(objects, registry, options.TimeProvider, cancellationToken).ConfigureAwait(false);
            options.StartProgress?.Report("store");

            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.Services.AddSingleton(loggerFactory);
            builder.WebHost.ConfigureKestrel(kestrel =>
            {
                kestrel.Limits.MaxRequestBodySize = null; // enforced by the handler, which answers with a Status
                kestrel.AddServerHeader = false;
                foreach (var address in options.BindAddresses)
                {
                    kestrel.Listen(address, options.ApiPort, listen => listen.UseHttps(https =>
                    {
                        https.ServerCertificate = credentials.ServingCertificate;
                        https.ClientCertificateMode = ClientCertificateMode.AllowCertificate;
                        https.ClientCertificateValidation = (_, _, _) => true; // checked against the cluster CA by AuthenticationMiddleware
                    }));
                }
            });
            var app = builder.Build();
            var allocation = new ServiceAllocation(
                new ClusterIpAllocator(ServiceCidr.Parse(options.ServiceCidr)),
                NodePortAllocator.Parse(options.ServiceNodePortRange));
            await RestoreAllocationsAsync(objects, registry, allocation, cancellationToken).ConfigureAwait(false);
            // kube-apiserver --authorization-mode=Node,RBAC behind the privileged group, and the admission plugins.
            var rbacCache = new RbacCache(objects, registry, options.TimeProvider, loggerFactory.CreateLogger("Berth.ApiServer.Authorization"));
            var rbac = new RbacAuthorizer(rbacCache);
            var authorizer = new UnionAuthorizer(new PrivilegedGroupAuthorizer(), new NodeAuthorizer(new NodePodReferences(objects, registry)), rbac);
            var serviceAccountKey = ServiceAccountKey.LoadOrCreate(options.DataDir);
            var tokens = new ServiceAccountTokens(serviceAccountKey, options.ServiceAccountIssuer, options.ApiAudiences.Count > 0 ? [.. options.ApiAudiences] : [options.ServiceAccountIssuer], options.TimeProvider);
            var rest = new RestHandler(objects, registry, options, new Dictionary<string, IAllocationHook> { ["services"] = allocation })
            {
                Tokens = tokens,
                Admission = new AdmissionChain(new NodeRestriction(), new RbacEscalationCheck(authorizer, rbac, rbacCache), new ServiceAccountAdmission(objects, registry)),
                Reviews = new AccessReviews(authorizer, authorizer),
            };
            await rest.EnsureDefaultServiceAccountsAsync(cancellationToken).ConfigureAwait(false);
            var aggregator = await StartPolicyAsync(rest, objects, registry, rbacCache, options.TimeProvider, loggerFactory, cancellationToken).ConfigureAwait(false);
            var serverAddress = $"{options.BindAddresses[0]}:{options.ApiPort}";
            // The API server's identity towards node agents (kube-apiserver's --kubelet-client-certificate).
            var kubelets = new KubeletConnector(objects, registry, credentials.IssueClientCertificate("kube-apiserver-kubelet-client", ["system:masters"], options.TimeProvider.GetUtcNow()));
            var proxy = new SubresourceProxy(objects, registry, kubelets, Random.Shared, loggerFactory.CreateLogger("Berth.ApiServer.Proxy"));
            var metrics = new MetricsApi(objects, registry, new NodeScraper(kubelets.Http, options.Metrics, options.TimeProvider, loggerFactory.CreateLogger("Berth.ApiServer.Metrics")));
            var discovery = new DiscoveryDocuments(registry, serverAddress, MetricsApi.Resources);
            var router = new ApiRouter(registry, rest, proxy, discovery, new OpenApiDocuments(registry, options.TimeProvider), loggerFactory.CreateLogger("Berth.ApiServer"), metrics);
            app.Use(AuditId.AssignAsync);
            app.UseMiddleware<AuthenticationMiddleware>(credentials, new ServiceAccountAuthenticator(tokens, objects, registry, options.TimeProvider));
            app.UseMiddleware<ImpersonationMiddleware>(authorizer);
            app.UseMiddleware<AuthorizationMiddleware>(authorizer);
            app.Run(router.HandleAsync);
            await app.StartAsync(cancellationToken).ConfigureAwait(false);

            var port = BoundPort(app, options.ApiPort);
            var host = new ApiServerHost(app, store, credentials, options, port) { _kubelets = kubelets, _serviceAccountKey = serviceAccountKey };
            var reconciler = new KubernetesServiceReconciler(rest, objects, registry, allocation.ClusterIps.Cidr.First, options.BindAddresses[0], port, loggerFactory.CreateLogger("Berth.ApiServer.KubernetesService"));
            await reconciler.ReconcileAsync(cancellationToken).ConfigureAwait(false);
            var cidr = allocation.ClusterIps.Cidr;
            var dns = options.KubeDnsService && cidr.Usable > 9 ? new KubeDnsServiceReconciler(rest, objects, registry, cidr.At(9), loggerFactory.CreateLogger("Berth.ApiServer.KubeDnsService")) : null;
            if (dns is not null)
            {
                await dns.ReconcileAsync(cancellationToken).ConfigureAwait(false);
            }

            var repair = new AllocationRepair(objects, registry, allocation, new EventWriter(rest, registry, options.TimeProvider), loggerFactory.CreateLogger("Berth.ApiServer.AllocationRepair"));
            host.AllocationRepair = repair;
            host.ServiceAllocation = allocation;
            host._background = Task.WhenAll(
                reconciler.RunAsync(options.KubernetesServiceInterval, options.TimeProvider, host._stopping.Token),
                dns?.RunAsync(options.KubernetesServiceInterval, options.TimeProvider, host._stopping.Token) ?? Task.CompletedTask,
                repair.RunAsync(options.AllocationRepairInterval, options.TimeProvider, host._stopping.Token),
                rbacCache.RunAsync(host._stopping.Token),
                aggregator.RunAsync(host._stopping.Token));
            PrivateFiles.WriteAllText(options.KubeconfigPath, Kubeconfig.Render(host.ServerUrlFor(options.BindAddresses[0]), credentials.CaPem, credentials.AdminToken));
            return host;
        }
        catch
        {
            await store.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// The bootstrap policy reconciled (kube-apiserver's rbac/bootstrap-roles post-start hook, run here before the
    /// server serves), the RBAC objects read, and the aggregated roles (admin, edit, view) filled, so that the first
    /// request is authorized against the whole policy.
    /// </summary>
    private static async Task<ClusterRoleAggregator> StartPolicyAsync(
        RestHandler rest,
        ObjectStore objects,
        ResourceRegistry registry,
        RbacCache cache,
        TimeProvider time,
        ILoggerFactory loggers,
        CancellationToken ct)
    {
        var logger = loggers.CreateLogger("Berth.ApiServer.Authorization");
        await new PolicyReconciler(rest, objects, registry, logger).ReconcileAsync(ct).ConfigureAwait(false);
        await cache.LoadAsync(ct).ConfigureAwait(false);
        var aggregator = new ClusterRoleAggregator(cache, rest, registry, time, logger);
        while (await aggregator.AggregateAsync(ct).ConfigureAwait(false))
        {
            await cache.LoadAsync(ct).ConfigureAwait(false);
        }

        return aggregator;
    }

    /// <summary>
    /// The data directory holds every object, the keys and the admin token: it is created 0700, and an existing one
    /// that lets others in is narrowed to 0700 / 0600 — with one Warning when something in it may have been read (a
    /// file others could read, or subdirectories others could enter); a directory that held only private files (one
    /// made for Berth by hand or by a script) is narrowed with an Information line.
    /// </summary>
    private static void SecureDataDir(string dataDir, ILogger logger)
    {
        PrivateFiles.CreateDirectory(dataDir);
        var (directory, files) = PrivateFiles.Narrow(dataDir);
        if (files.Count > 0 || (directory is not null && Directory.EnumerateDirectories(dataDir).Any()))
        {
            Log.DataDirNarrowed(logger, dataDir, string.Join(", ", directory is null ? files : [directory, .. files]));
        }
        else if (directory is not null)
        {
            Log.DataDirTightened(logger, directory);
        }
    }

    private static async Task RestoreAllocationsAsync(ObjectStore objects, ResourceRegistry registry, ServiceAllocation allocation, CancellationToken ct)
    {
        var services = registry.Find("", "services")!;
        var list = await objects.Store.ListAsync(ObjectStore.Prefix(services, null), null, 0, ct).ConfigureAwait(false);
        foreach (var kv in list.Items)
        {
            allocation.Restore((k8s.Models.V1Service)objects.Decode(services, kv).Object);
        }
    }

    private string ServerUrlFor(IPAddress address) =>
        address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) ? Url : $"https://{(address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? "[" + address + "]" : address.ToString())}:{Port}";

    private static int BoundPort(WebApplication app, int configured)
    {
        if (configured != 0)
        {
            return configured;
        }

        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        return new Uri(addresses.First()).Port;
    }

    /// <summary>
    /// A handler that serves requests in this process, without a socket or TLS, through the same pipeline as HTTPS
    /// (authentication included: send the admin token). The components of <c>berth up</c> use it.
    /// </summary>
    public async Task<HttpMessageHandler> CreateInProcessHandlerAsync(CancellationToken cancellationToken) =>
        (await InProcessAsync(cancellationToken).ConfigureAwait(false)).CreateHandler();

    /// <summary>
    /// A handler like <see cref="CreateInProcessHandlerAsync(CancellationToken)"/> whose requests are authenticated as
    /// <paramref name="user"/> by the transport itself (no token is needed or looked at): what <c>berth up</c>'s node
    /// agent, proxy and DNS use to act as <c>system:node:&lt;name&gt;</c> (<see cref="UserInfo.ForNode"/>). Only code in
    /// this process can make one; no request from a socket can carry the identity.
    /// </summary>
    public async Task<HttpMessageHandler> CreateInProcessHandlerAsync(UserInfo user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        return (await InProcessAsync(cancellationToken).ConfigureAwait(false)).CreateHandler(user);
    }

    private async Task<InProcessServer> InProcessAsync(CancellationToken cancellationToken)
    {
        await _inProcessGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return _inProcess ??= await InProcessServer.StartAsync(_app, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _inProcessGate.Release();
        }
    }

    public Task WaitForShutdownAsync(CancellationToken cancellationToken) => _app.WaitForShutdownAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await _background.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        _stopping.Dispose();
        _inProcess?.Dispose();
        _serviceAccountKey?.Dispose();
        _inProcessGate.Dispose();
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        await Store.DisposeAsync().ConfigureAwait(false);
        _kubelets?.Dispose();
    }
}
