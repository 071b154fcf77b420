using Berth.Node.Runtime;
using Microsoft.Extensions.Logging;

namespace Berth.Node.Pods;

public sealed partial class PodManager
{
    /// <summary>Event ids 6100–6119; 6450–6459 for the pods' resolver files and sandboxes.</summary>
    private static partial class Log
    {
        [LoggerMessage(EventId = 6100, Level = LogLevel.Information, Message = "Pods of node {Node}: pod CIDR {Cidr}, {Count} pods bound")]
        public static partial void Started(ILogger logger, string node, string cidr, int count);

        [LoggerMessage(EventId = 6101, Level = LogLevel.Warning, Message = "Pod {Pod}: its IP {IP} is outside {Cidr} or taken; it gets a new one")]
        public static partial void IPNotRelearned(ILogger logger, string pod, string ip, string cidr);

        [LoggerMessage(EventId = 6102, Level = LogLevel.Warning, Message = "Could not remove the directory {Directory} of a pod that is gone: {Error}; it stays on disk")]
        public static partial void OrphanCleanupFailed(ILogger logger, string directory, string error);

        [LoggerMessage(EventId = 6103, Level = LogLevel.Information, Message = "Pods run as {User} unless their securityContext names a user; containers' working directories are under {WorkRoot}")]
        public static partial void PodUser(ILogger logger, string user, string workRoot);

        [LoggerMessage(EventId = 6104, Level = LogLevel.Warning, Message = "Containers' working directories are under {WorkRoot}, but other users cannot pass {Directory}: pods that run as them cannot start there (set TMPDIR to a directory every user may pass)")]
        public static partial void WorkRootUnreachable(ILogger logger, string workRoot, string directory);

        [LoggerMessage(EventId = 6105, Level = LogLevel.Warning, Message = "The built-in images (agnhost, pause) run {Command}, but pods' users cannot read {Path}: such pods will fail to start (make berth's files readable by every user)")]
        public static partial void BerthCommandUnreachable(ILogger logger, string command, string path);

        [LoggerMessage(EventId = 6106, Level = LogLevel.Information, Message = "Pods' users cannot reach {Path}: the built-in images run it from {Mirror} (hard links the pods' users may read)")]
        public static partial void BerthCommandMirrored(ILogger logger, string path, string mirror);

        // 6450–6499: the pods' resolver files and sandboxes.
        [LoggerMessage(EventId = 6450, Level = LogLevel.Information, Message = "Pods get their own /etc/resolv.conf, /etc/hosts and host name: sandbox mode {Mode} (not available: {Limitation})")]
        public static partial void PodSandbox(ILogger logger, SandboxMode mode, string limitation);

        [LoggerMessage(EventId = 6451, Level = LogLevel.Warning, Message = "Pods cannot get their own /etc/resolv.conf, /etc/hosts and host name on this machine; their processes see the host's ({Limitation})")]
        public static partial void NoPodSandbox(ILogger logger, string limitation);

        [LoggerMessage(EventId = 6452, Level = LogLevel.Warning, Message = "The node's resolv.conf: {Problem}")]
        public static partial void NodeResolvConfProblem(ILogger logger, string problem);
    }
}
