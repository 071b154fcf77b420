using System.CommandLine;

namespace Berth.Cli.Flags;

/// <summary>Flags that belong together under one title in a command's help (<c>flags of the service proxy</c>).</summary>
internal sealed record FlagGroup(string Title, IReadOnlyList<Option> Options);
