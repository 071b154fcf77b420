using Microsoft.Extensions.Logging;

namespace Berth.Cli;

/// <summary>The console logging of every long-running command (<c>--log-level</c>).</summary>
internal static class Logging
{
    public const string Flag = "log-level";

    public static ILoggerFactory Create(ParsedArgs args)
    {
        var level = args.Get(Flag) is { } name
            ? Enum.TryParse<LogLevel>(name, ignoreCase: true, out var parsed) ? parsed : throw new UsageException($"--log-level: not a level: {name}")
            : LogLevel.Warning;
        // ASP.NET Core logs every request at Information: --log-level is about Berth's own components.
        return LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(level)
            .AddFilter("Microsoft", (LogLevel l) => l >= LogLevel.Warning)
            // A start that fails (e.g. a busy port) surfaces as an exception berth reports in one line itself.
            .AddFilter("Microsoft.Extensions.Hosting", LogLevel.None));
    }
}
