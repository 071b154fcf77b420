namespace Berth.Agnhost.Netexec;

/// <summary>
/// netexec is to end with <paramref name="Code"/>: at once when <paramref name="Timeout"/> is zero (Go's
/// <c>os.Exit</c>), else after a graceful HTTP shutdown of at most that long.
/// </summary>
internal sealed record ExitRequest(int Code, TimeSpan Timeout);
