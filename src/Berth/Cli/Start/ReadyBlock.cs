namespace Berth.Cli.Start;

/// <summary>
/// The block <c>berth up</c> (and <c>server</c>, <c>agent</c>) prints once it is ready: facts (label, value) and sections
/// of lines to read or paste. Built by <see cref="ReadyBlockPlanner"/>, a pure function of what started.
/// </summary>
internal sealed record ReadyBlock(string Title, IReadOnlyList<(string Label, string Value)> Facts, IReadOnlyList<(string Heading, IReadOnlyList<ReadyLine> Lines)> Sections)
{
    /// <summary>Width of the facts' label column.</summary>
    public const int LabelWidth = 13;
}

/// <summary>A line of a ready block section: a command to paste, or a remark.</summary>
internal sealed record ReadyLine(string Text, bool IsCommand);
