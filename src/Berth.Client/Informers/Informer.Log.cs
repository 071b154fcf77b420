using Microsoft.Extensions.Logging;

namespace Berth.Client.Informers;

public sealed partial class Informer<T>
{
    /// <summary>Event ids 3000–3019 (Berth.Client owns 3000–3099; see src/Berth.Client/README.md).</summary>
    private static partial class Log
    {
        [LoggerMessage(EventId = 3000, Level = LogLevel.Debug, Message = "Listed {Kind}: {Count} objects at resourceVersion {ResourceVersion} ({Adds} added, {Updates} updated, {Deletes} deleted)")]
        public static partial void Listed(ILogger logger, string kind, int count, string resourceVersion, int adds, int updates, int deletes);

        [LoggerMessage(EventId = 3001, Level = LogLevel.Debug, Message = "Watch of {Kind} expired ({Message}); re-listing")]
        public static partial void WatchExpired(ILogger logger, string kind, string message);

        /// <summary>Level and exception per <see cref="Failure"/>: Debug for a 404/409/410, Warning without a stack trace for an API or network failure, Error for a bug.</summary>
        [LoggerMessage(EventId = 3002, Message = "{Kind} {Operation} failed: {Reason}; retrying in {Delay}")]
        public static partial void ListWatchFailed(ILogger logger, LogLevel level, Exception? exception, string kind, string operation, string reason, TimeSpan delay);

        [LoggerMessage(EventId = 3003, Level = LogLevel.Debug, Message = "Watch of {Kind} ended at once without events; retrying in {Delay}")]
        public static partial void WatchEndedEarly(ILogger logger, string kind, TimeSpan delay);

        [LoggerMessage(EventId = 3004, Level = LogLevel.Error, Message = "A {Kind} informer handler ({Handler}) threw")]
        public static partial void HandlerFailed(ILogger logger, Exception exception, string kind, string handler);
    }
}
