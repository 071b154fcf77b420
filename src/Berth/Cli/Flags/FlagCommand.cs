using System.CommandLine;

namespace Berth.Cli.Flags;

/// <summary>A <c>berth</c> command whose flags come in titled groups, as its help shows them.</summary>
internal sealed class FlagCommand : Command
{
    private readonly List<FlagGroup> _groups = [];

    public FlagCommand(string name, string description, string usage)
        : base(name, description)
    {
        Usage = usage;
    }

    /// <summary>The synopsis after <c>berth</c> (<c>up [flags]</c>).</summary>
    public string Usage { get; }

    /// <summary>Longer text shown under the flags in help (examples, files, notes); empty for none.</summary>
    public string Notes { get; init; } = "";

    public IReadOnlyList<FlagGroup> Groups => _groups;

    /// <summary>Adds the group's flags to the command.</summary>
    public void Add(FlagGroup group)
    {
        ArgumentNullException.ThrowIfNull(group);
        _groups.Add(group);
        foreach (var option in group.Options)
        {
            Add(option);
        }
    }
}
