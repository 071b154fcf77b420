using Berth.Client;
using Microsoft.Extensions.Logging;

namespace Berth.Controllers.Endpoints;

public sealed partial class EndpointsController
{
    /// <summary>Event ids 4120–4139 (see EndpointSliceController.Log).</summary>
    private static partial class Log
    {
        /// <summary>Level and exception per <see cref="Failure"/>: Debug for a 404/409/410, Warning without a stack trace for an API or network failure, Error for a bug.</summary>
        [LoggerMessage(EventId = 4120, Message = "Syncing Endpoints {Key} failed: {Reason}; retrying")]
        public static partial void SyncFailed(ILogger logger, LogLevel level, Exception? exception, string key, string reason);

        [LoggerMessage(EventId = 4121, Level = LogLevel.Debug, Message = "Endpoints cache of {Key} is older than this controller's last write; retrying")]
        public static partial void StaleCache(ILogger logger, string key);
    }
}
