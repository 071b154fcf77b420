using Microsoft.Extensions.Logging;

namespace Berth.ApiServer;

public sealed partial class ApiServerHost
{
    /// <summary>Event ids 7000–7019 (hardening; docs/architecture.md).</summary>
    private static partial class Log
    {
        [LoggerMessage(EventId = 7000, Level = LogLevel.Warning, Message = "The data directory {DataDir} let other users in; narrowed to owner-only (directory 0700, files 0600): {Narrowed}")]
        public static partial void DataDirNarrowed(ILogger logger, string dataDir, string narrowed);

        [LoggerMessage(EventId = 7001, Level = LogLevel.Information, Message = "The data directory {Directory} is now owner-only (0700); it held nothing others could read")]
        public static partial void DataDirTightened(ILogger logger, string directory);
    }
}
