using System.Net.Sockets;
using Berth.Proxy.Model;
using Berth.Proxy.Observability;
using Microsoft.Extensions.Logging;

namespace Berth.Proxy.Userspace;

/// <summary>
/// Reports an entry point that could not be opened: a Warning event on the Service (deduplicated by the recorder), a
/// metric, a log line — and, the first time a port below 1024 is refused for lack of privilege, one line per process
/// that says how to allow it. Nothing here throws: every other listener keeps working and the sync retries later.
/// </summary>
internal sealed partial class BindFailures(UserspaceContext context)
{
    public const string Reason = "FailedToBindPort";

    private static int _privilegeHintLogged;

    public void Report(ServiceRef service, string what, SocketError error)
    {
        var reason = error switch
        {
            SocketError.AccessDenied => "permission-denied",
            SocketError.AddressAlreadyInUse => "address-in-use",
            SocketError.AddressNotAvailable => "address-not-available",
            _ => "other",
        };
        var message = error switch
        {
            SocketError.AccessDenied => $"cannot listen on {what}: permission denied (ports below 1024 need CAP_NET_BIND_SERVICE or net.ipv4.ip_unprivileged_port_start)",
            SocketError.AddressAlreadyInUse => $"cannot listen on {what}: the address is in use by another program",
            SocketError.AddressNotAvailable => $"cannot listen on {what}: the address is not on this machine",
            _ => $"cannot listen on {what}: {error}",
        };
        context.Metrics.BindFailed(reason);
        context.Events.Warning(service, Reason, message);
        Log.BindFailed(context.Logger, service.Key, what, error);
        if (error == SocketError.AccessDenied && Interlocked.Exchange(ref _privilegeHintLogged, 1) == 0)
        {
            Log.PrivilegedPorts(context.Logger, what);
        }
    }

    /// <summary>Another Service's entry point already holds the address (e.g. two Services with one external IP and port).</summary>
    public void ReportConflict(ServiceRef service, string what, ServicePortName holder)
    {
        context.Metrics.BindFailed("service-conflict");
        context.Events.Warning(service, Reason, $"cannot listen on {what}: Service port {holder} already uses it");
        Log.Conflict(context.Logger, service.Key, what, holder.ToString());
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 5010, Level = LogLevel.Warning, Message = "Service {Service}: cannot listen on {EntryPoint} ({Error}); retrying on later syncs")]
        public static partial void BindFailed(ILogger logger, string service, string entryPoint, SocketError error);

        [LoggerMessage(EventId = 5011, Level = LogLevel.Warning, Message = "Ports below 1024 need privilege (first refused: {EntryPoint}). Allow them with `sysctl -w net.ipv4.ip_unprivileged_port_start=0`, or give the runtime the capability: `setcap cap_net_bind_service=+ep $(readlink -f $(which dotnet))`; other Service ports keep working")]
        public static partial void PrivilegedPorts(ILogger logger, string entryPoint);

        [LoggerMessage(EventId = 5012, Level = LogLevel.Warning, Message = "Service {Service}: cannot listen on {EntryPoint}: Service port {Holder} already uses it")]
        public static partial void Conflict(ILogger logger, string service, string entryPoint, string holder);
    }
}
