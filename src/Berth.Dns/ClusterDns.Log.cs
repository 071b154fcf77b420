using Microsoft.Extensions.Logging;

namespace Berth.Dns;

/// <summary>Log events 5100–5119 of the server (the full table is in the README).</summary>
public sealed partial class ClusterDns
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 5100, Level = LogLevel.Information, Message = "Cluster DNS listening on {Address} (UDP with {Sockets} sockets, TCP) for {Zone}; other names go to {Upstreams}")]
        public static partial void Listening(ILogger logger, string address, int sockets, string zone, string upstreams);

        [LoggerMessage(EventId = 5101, Level = LogLevel.Error, Message = "Cluster DNS cannot bind {Address}: port {Port} needs root (or CAP_NET_BIND_SERVICE, or `sysctl net.ipv4.ip_unprivileged_port_start=53`); or serve elsewhere with --dns-addr IP:PORT. Cluster names will not resolve until then")]
        public static partial void BindNeedsPrivilege(ILogger logger, string address, int port);

        [LoggerMessage(EventId = 5102, Level = LogLevel.Error, Message = "Cluster DNS cannot bind {Address}: {Error}; choose another address with --dns-addr IP:PORT. Cluster names will not resolve until then")]
        public static partial void BindFailed(ILogger logger, string address, string error);

        [LoggerMessage(EventId = 5103, Level = LogLevel.Information, Message = "Cluster DNS waits for the kube-system/kube-dns Service's ClusterIP to listen on")]
        public static partial void WaitingForService(ILogger logger);

        [LoggerMessage(EventId = 5104, Level = LogLevel.Warning, Message = "No upstream resolvers (none in {ResolvConf}, no --dns-upstream): names outside the cluster zone get SERVFAIL")]
        public static partial void NoUpstreams(ILogger logger, string resolvConf);

        [LoggerMessage(EventId = 5105, Level = LogLevel.Warning, Message = "Could not delete this node's kube-dns EndpointSlice: {Reason}")]
        public static partial void SliceNotDeleted(ILogger logger, string reason);
    }
}
