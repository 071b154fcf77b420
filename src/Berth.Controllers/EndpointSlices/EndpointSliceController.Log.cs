using Berth.Client;
using Microsoft.Extensions.Logging;

namespace Berth.Controllers.EndpointSlices;

public sealed partial class EndpointSliceController
{
    /// <summary>Event ids 4100–4119 (Berth.Controllers: EndpointSlices 4100–4119, Endpoints 4120–4139, mirroring 4140–4159).</summary>
    private static partial class Log
    {
        /// <summary>Level and exception per <see cref="Failure"/>: Debug for a 404/409/410, Warning without a stack trace for an API or network failure, Error for a bug.</summary>
        [LoggerMessage(EventId = 4100, Message = "Syncing EndpointSlices of Service {Key} failed: {Reason}; retrying")]
        public static partial void SyncFailed(ILogger logger, LogLevel level, Exception? exception, string key, string reason);

        [LoggerMessage(EventId = 4101, Level = LogLevel.Debug, Message = "EndpointSlice cache of Service {Key} is older than this controller's writes; waiting for it")]
        public static partial void StaleCache(ILogger logger, string key);

        [LoggerMessage(EventId = 4102, Level = LogLevel.Information, Message = "Service {Key}: {Count} pods on unknown nodes skipped; retrying")]
        public static partial void PodsSkipped(ILogger logger, string key, int count);
    }
}
