using Microsoft.Extensions.Logging;

namespace Berth.Cli;

/// <summary>The console logging of every long-running command (<c>--log-level</c>, <c>--log-format text|json</c>).</summary>
internal static class Logging
{
    public const string Flag = "log-level";

    public const string FormatFlag = "log-format";

    /// <summary>Both logging flags, for the flag sets of the commands that log.</summary>
    public static readonly string[] Flags = [Flag, FormatFlag];

    public static ILoggerFactory Create(ParsedArgs args)
    {
        var level = args.Get(Flag) is { } name
            ? Enum.TryParse<LogLevel>(name, ignoreCase: true, out var parsed) ? parsed : throw new UsageException($"--log-level: not a level: {name}")
            : LogLevel.Warning;
        var json = args.Get(FormatFlag) switch
        {
            null or "text" => false,
            "json" => true,
            var other => throw new UsageException($"--log-format: not text or json: {other}"),
        };

        // ASP.NET Core logs every request at Information: --log-level is about Berth's own components.
        return LoggerFactory.Create(b => (json ? b.AddJsonConsole(o => { o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ"; o.UseUtcTimestamp = true; }) : b.AddSimpleConsole(o => o.SingleLine = true))
            .SetMinimumLevel(level)
            .AddFilter("Microsoft", (LogLevel l) => l >= LogLevel.Warning)
            // A start that fails (e.g. a busy port) surfaces as an exception berth reports in one line itself.
            .AddFilter("Microsoft.Extensions.Hosting", LogLevel.None));
    }
}
