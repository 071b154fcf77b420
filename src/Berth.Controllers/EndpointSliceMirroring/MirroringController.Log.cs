using Microsoft.Extensions.Logging;

namespace Berth.Controllers.EndpointSliceMirroring;

public sealed partial class MirroringController
{
    /// <summary>Event ids 4140–4159 (see EndpointSliceController.Log).</summary>
    private static partial class Log
    {
        [LoggerMessage(EventId = 4140, Level = LogLevel.Warning, Message = "Mirroring Endpoints {Key} failed; retrying")]
        public static partial void SyncFailed(ILogger logger, Exception exception, string key);

        [LoggerMessage(EventId = 4141, Level = LogLevel.Debug, Message = "Mirrored EndpointSlice cache of {Key} is older than this controller's writes; retrying")]
        public static partial void StaleCache(ILogger logger, string key);
    }
}
