using Microsoft.Extensions.Logging;

namespace Berth.Controllers.HorizontalPodAutoscalers;

public sealed partial class HorizontalPodAutoscalerController
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 4800, Message = "Syncing HorizontalPodAutoscaler {Key} failed: {Reason}")]
        public static partial void SyncFailed(ILogger logger, LogLevel level, Exception? exception, string key, string reason);

        [LoggerMessage(EventId = 4801, Level = LogLevel.Information, Message = "HorizontalPodAutoscaler {Key} scaled its target from {From} to {To}: {Reason}")]
        public static partial void Rescaled(ILogger logger, string key, int from, int to, string reason);
    }
}
