using System.CommandLine;
using Berth.ApiServer;

namespace Berth.Cli.Flags;

/// <summary><c>--data-dir</c>: where a cluster (or an agent) keeps its state.</summary>
internal sealed class DataDirFlag(string description)
{
    /// <summary>The data directory of <c>berth up</c> and <c>berth server</c>, and of the commands that read theirs.</summary>
    public const string ServerDescription = "state directory (default $XDG_DATA_HOME/berth or ~/.local/share/berth)";

    public Option<string?> Option { get; } = Flag.Text("--data-dir", "DIR", description);

    public DataDirFlag()
        : this(ServerDescription)
    {
    }

    /// <summary>The full path given, or the server's default.</summary>
    public string Value(ParseResult parsed) => Path.GetFullPath(parsed.GetValue(Option) ?? ApiServerOptions.DefaultDataDir());

    /// <summary>The full path given, or null.</summary>
    public string? Given(ParseResult parsed) => parsed.GetValue(Option) is { } dir ? Path.GetFullPath(dir) : null;
}
