using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Berth.Tests.Shared;

/// <summary>Keeps every log message, so tests can tell which protocol path a request took and how loud an event was.</summary>
internal sealed class RecordingLoggerProvider : ILoggerProvider
{
    public ConcurrentQueue<string> Messages { get; } = new();

    /// <summary>Every entry with its level, event id and exception, in the order logged.</summary>
    public ConcurrentQueue<Entry> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(Messages, Entries, categoryName);

    public void Dispose()
    {
    }

    internal sealed record Entry(string Category, LogLevel Level, EventId EventId, string Message, Exception? Exception);

    private sealed class Logger(ConcurrentQueue<string> messages, ConcurrentQueue<Entry> entries, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var message = formatter(state, exception);
            entries.Enqueue(new Entry(category, logLevel, eventId, message, exception));
            messages.Enqueue(message + (exception is null ? "" : " " + exception));
        }
    }
}
