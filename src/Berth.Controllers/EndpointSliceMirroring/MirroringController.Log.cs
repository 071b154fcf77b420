using Berth.Client;
using Microsoft.Extensions.Logging;

namespace Berth.Controllers.EndpointSliceMirroring;

public sealed partial class MirroringController
{
    /// <summary>Event ids 4140–4159 (see EndpointSliceController.Log).</summary>
    private static partial class Log
    {
        /// <summary>Level and exception per <see cref="Failure"/>: Debug for a 404/409/410, Warning without a stack trace for an API or network failure, Error for a bug.</summary>
        [LoggerMessage(EventId = 4140, Message = "Mirroring Endpoints {Key} failed: {Reason}; retrying")]
        public static partial void SyncFailed(ILogger logger, LogLevel level, Exception? exception, string key, string reason);

        [LoggerMessage(EventId = 4141, Level = LogLevel.Debug, Message = "Mirrored EndpointSlice cache of {Key} is older than this controller's writes; retrying")]
        public static partial void StaleCache(ILogger logger, string key);
    }
}
