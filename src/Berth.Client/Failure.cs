using Microsoft.Extensions.Logging;

namespace Berth.Client;

/// <summary>
/// How loudly to report an exception from an API call or a sync that will be retried (issue 10: routine events are
/// not warnings with stack traces). A 404, 409 or 410 is routine in a level-driven system — the object went away, a
/// cache was stale, a watch expired — and so is a write refused because its namespace is being deleted; the retry
/// settles it (client-go's controllers requeue these quietly, and upstream's ReplicaSet controller drops
/// <c>NamespaceTerminating</c> refusals): Debug. Any other API answer, an HTTP, socket or IO failure, or a deadline is expected of a network peer: a Warning
/// with its message and no stack trace. Anything else is a bug a person must act on: Error with the exception.
/// </summary>
public readonly record struct Failure(Exception Error)
{
    /// <summary>404 NotFound, 409 Conflict/AlreadyExists, 410 Expired, or a namespace being deleted: the retry settles it.</summary>
    public bool IsRoutine =>
        Error is ApiException { IsNotFound: true } or ApiException { Code: 409 } or ApiException { IsExpired: true } or ApiException { IsNamespaceTerminating: true };

    /// <summary>Routine, or a failure a network peer or the file system may cause: no stack trace is needed.</summary>
    public bool IsExpected => Error is ApiException or HttpRequestException or IOException or TimeoutException or OperationCanceledException;

    public LogLevel Level => IsRoutine ? LogLevel.Debug : IsExpected ? LogLevel.Warning : LogLevel.Error;

    /// <summary>One line for the log message: the API's or the socket's own words, the type too for a bug (or when there are no words).</summary>
    public string Reason => Error switch
    {
        ApiException { Message.Length: 0 } api => $"{api.Code} {api.Reason}",
        _ when IsExpected && Error.Message.Length > 0 => Error.Message,
        { Message.Length: 0 } => Error.GetType().Name,
        _ => $"{Error.GetType().Name}: {Error.Message}",
    };

    /// <summary>The exception to log with its stack trace: only for a bug.</summary>
    public Exception? Trace => IsExpected ? null : Error;

    public static Failure Of(Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return new Failure(error);
    }
}
