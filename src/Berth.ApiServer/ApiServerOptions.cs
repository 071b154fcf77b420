using System.Net;
using Berth.Core.Serialization;

namespace Berth.ApiServer;

/// <summary>Settings of the API server; flags of <c>berth up</c> / <c>berth server</c> bind to these.</summary>
public sealed class ApiServerOptions
{
    /// <summary>Where the store, certificates, token and kubeconfig live.</summary>
    public string DataDir { get; set; } = DefaultDataDir();

    /// <summary>HTTPS port on every bind address (0 = pick a free port, for tests).</summary>
    public int ApiPort { get; set; } = 6443;

    /// <summary>Addresses the API listens on: loopback plus the node addresses.</summary>
    public IList<IPAddress> BindAddresses { get; } = [IPAddress.Loopback];

    /// <summary>Extra subject alternative names (DNS names or IPs) for the serving certificate.</summary>
    public IList<string> TlsSans { get; } = [];

    /// <summary>
    /// What one request body may hold and build: 3 MiB as in Kubernetes (413 beyond), at most 64 levels of nesting,
    /// YAML aliases bounded as go-yaml bounds them (400), and a cap on the values one body decodes to (413).
    /// </summary>
    public DecodeLimits DecodeLimits { get; set; } = DecodeLimits.Default;

    /// <summary>Revisions of history kept for watches before compaction.</summary>
    public int HistoryRetention { get; set; } = 10_000;

    /// <summary>Watch history is also kept for this long (kube-apiserver: 5 minutes between etcd compactions).</summary>
    public TimeSpan HistoryRetentionTime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How often idle watches with <c>allowWatchBookmarks</c> get a BOOKMARK.</summary>
    public TimeSpan BookmarkInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The service CIDR cluster IPs come from (host mode: loopback addresses, no root needed).</summary>
    public string ServiceCidr { get; set; } = "127.96.0.0/12";

    /// <summary>The NodePort range, inclusive.</summary>
    public string ServiceNodePortRange { get; set; } = "30000-32767";

    /// <summary>How often the <c>default/kubernetes</c> Service, Endpoints and EndpointSlice are checked (recreated if deleted).</summary>
    public TimeSpan KubernetesServiceInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Whether the server keeps <c>kube-system/kube-dns</c> (the 10th service address, served by every node's Berth DNS);
    /// false for a cluster whose DNS Service is someone else's to create.
    /// </summary>
    public bool KubeDnsService { get; set; } = true;

    /// <summary>How often the cluster IP and NodePort repair loop runs (Kubernetes: every 3 minutes).</summary>
    public TimeSpan AllocationRepairInterval { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>How metrics.k8s.io reads the nodes' resource figures.</summary>
    public Metrics.MetricsOptions Metrics { get; set; } = new();

    /// <summary>The <c>iss</c> of the service account tokens this server issues and accepts (<c>--service-account-issuer</c>).</summary>
    public string ServiceAccountIssuer { get; set; } = "https://kubernetes.default.svc.cluster.local";

    /// <summary>
    /// The audiences this server accepts in service account tokens, and gives a TokenRequest that names none
    /// (<c>--api-audiences</c>); empty: the issuer alone, as kube-apiserver.
    /// </summary>
    public IList<string> ApiAudiences { get; } = [];

    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Told as each step of <see cref="ApiServerHost.StartAsync"/> ends: <c>certificates</c>, <c>store</c> (what <c>berth up</c> shows).</summary>
    public IProgress<string>? StartProgress { get; set; }

    public string StorePath => Path.Combine(DataDir, "berth.db");

    public string KubeconfigPath => Path.Combine(DataDir, "kubeconfig.yaml");

    public static string DefaultDataDir()
    {
        var dataHome = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
        if (string.IsNullOrEmpty(dataHome))
        {
            dataHome = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share");
        }

        return Path.Combine(dataHome, "berth");
    }

    public void Validate()
    {
        if (ApiPort is < 0 or > 65535)
        {
            throw new ArgumentException($"--api-port {ApiPort} is not a port number");
        }

        _ = Allocation.ServiceCidr.Parse(ServiceCidr);
        _ = Allocation.NodePortAllocator.Parse(ServiceNodePortRange);
        ArgumentNullException.ThrowIfNull(DecodeLimits);
        DecodeLimits.Validate();
        ArgumentNullException.ThrowIfNull(Metrics);
        Metrics.Validate();
        if (BindAddresses.Count == 0)
        {
            throw new ArgumentException("at least one bind address is needed");
        }
    }
}
