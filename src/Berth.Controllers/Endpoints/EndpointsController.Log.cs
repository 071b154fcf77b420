using Microsoft.Extensions.Logging;

namespace Berth.Controllers.Endpoints;

public sealed partial class EndpointsController
{
    /// <summary>Event ids 4120–4139 (see EndpointSliceController.Log).</summary>
    private static partial class Log
    {
        [LoggerMessage(EventId = 4120, Level = LogLevel.Warning, Message = "Syncing Endpoints {Key} failed; retrying")]
        public static partial void SyncFailed(ILogger logger, Exception exception, string key);

        [LoggerMessage(EventId = 4121, Level = LogLevel.Debug, Message = "Endpoints cache of {Key} is older than this controller's last write; retrying")]
        public static partial void StaleCache(ILogger logger, string key);
    }
}
