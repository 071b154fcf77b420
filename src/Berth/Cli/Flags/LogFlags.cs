using System.CommandLine;
using Microsoft.Extensions.Logging;

namespace Berth.Cli.Flags;

/// <summary>The console logging of every long-running command (<c>--log-level</c>, <c>--log-format text|json</c>).</summary>
internal sealed class LogFlags
{
    private readonly Option<string?> _level = Flag.Choice("--log-level", "LEVEL", "Trace, Debug, Information, Warning (default) or Error", StringComparer.OrdinalIgnoreCase, "Trace", "Debug", "Information", "Warning", "Error");
    private readonly Option<string?> _format = Flag.Choice("--log-format", "FORMAT", "text (default: one line per entry) or json (one JSON object per line)", "text", "json");

    public LogFlags()
    {
        Group = new FlagGroup("flags of the log", [_level, _format]);
    }

    public FlagGroup Group { get; }

    public ILoggerFactory Create(ParseResult parsed)
    {
        var level = parsed.GetValue(_level) is { } name ? Enum.Parse<LogLevel>(name) : LogLevel.Warning;
        var json = parsed.GetValue(_format) == "json";

        // ASP.NET Core logs every request at Information: --log-level is about Berth's own components.
        return LoggerFactory.Create(b => (json ? b.AddJsonConsole(o => { o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ"; o.UseUtcTimestamp = true; }) : b.AddSimpleConsole(o => o.SingleLine = true))
            .SetMinimumLevel(level)
            .AddFilter("Microsoft", (LogLevel l) => l >= LogLevel.Warning)
            // A start that fails (e.g. a busy port) surfaces as an exception berth reports in one line itself.
            .AddFilter("Microsoft.Extensions.Hosting", LogLevel.None));
    }
}
