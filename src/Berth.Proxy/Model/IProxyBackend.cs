namespace Berth.Proxy.Model;

/// <summary>
/// Renders the model into a data plane: the userspace backend opens sockets; an nftables backend would write rules.
/// Called by the sync only (never concurrently), with just the Service ports whose model changed.
/// </summary>
internal interface IProxyBackend
{
    /// <summary>Applies <paramref name="changes"/>; on a <paramref name="full"/> resync also retries whatever failed before.</summary>
    void Apply(IReadOnlyList<ServicePortChange> changes, bool full);
}
