using Microsoft.Extensions.Logging;

namespace Berth.Storage;

public sealed partial class SqliteStore
{
    // Event ids 2000-2099 belong to Berth.Storage.
    private static partial class Log
    {
        [LoggerMessage(EventId = 2000, Level = LogLevel.Information, Message = "Opened store {Path} at revision {Revision} (compacted through {Compacted})")]
        public static partial void Opened(ILogger logger, string path, long revision, long compacted);

        [LoggerMessage(EventId = 2001, Level = LogLevel.Warning, Message = "A batch of {Count} writes failed to commit; retrying them one by one")]
        public static partial void BatchFailed(ILogger logger, int count, Exception exception);

        [LoggerMessage(EventId = 2002, Level = LogLevel.Error, Message = "A write failed")]
        public static partial void WriteFailed(ILogger logger, Exception exception);

        [LoggerMessage(EventId = 2003, Level = LogLevel.Information, Message = "Compacted history through revision {Revision}: {Rows} rows in {ElapsedMs} ms")]
        public static partial void Compacted(ILogger logger, long revision, long rows, long elapsedMs);

        [LoggerMessage(EventId = 2004, Level = LogLevel.Error, Message = "Background compaction failed")]
        public static partial void CompactionFailed(ILogger logger, Exception exception);

        [LoggerMessage(EventId = 2005, Level = LogLevel.Warning, Message = "WAL checkpoint could not finish (busy); pages remaining {Remaining}")]
        public static partial void CheckpointBusy(ILogger logger, long remaining);

        [LoggerMessage(EventId = 2006, Level = LogLevel.Information, Message = "Ended a watch on {Prefix} that fell {Buffer} events behind")]
        public static partial void WatcherEnded(ILogger logger, string prefix, int buffer);

        [LoggerMessage(EventId = 2007, Level = LogLevel.Error, Message = "The writer loop stopped unexpectedly")]
        public static partial void WriterCrashed(ILogger logger, Exception exception);
    }
}
