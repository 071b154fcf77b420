using System.Text.RegularExpressions;
using Berth.Tests.Infrastructure;

namespace Berth.Tests;

/// <summary>
/// The README's "Commands and flags" is berth's own help: each <c>&lt;!-- berth … --help --&gt;</c> block there must be
/// what that command prints, and every command <c>berth --help</c> lists (but the built-in agnhost image) has one.
/// </summary>
public sealed partial class HelpDocTests
{
    [GeneratedRegex(@"<!-- (berth(?: [a-z-]+)? --help) -->\n```text\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex HelpBlock();

    [GeneratedRegex(@"^  ([a-z-]+)  ", RegexOptions.Multiline)]
    private static partial Regex CommandRow();

    [Fact]
    public async Task Readme_CommandsAndFlags_IsWhatBerthHelpPrints()
    {
        var readme = await File.ReadAllTextAsync(Path.Combine(Repository.Root(), "README.md"));
        var blocks = HelpBlock().Matches(readme).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
        var root = await BerthCommand.RunAsync(TimeSpan.FromSeconds(30), "--help");
        var commands = CommandRow().Matches(root.Stdout).Select(m => m.Groups[1].Value).Where(c => c != "agnhost").ToList();

        Assert.NotEmpty(commands);
        foreach (var wanted in commands.Select(c => $"berth {c} --help").Prepend("berth --help"))
        {
            Assert.True(blocks.ContainsKey(wanted), $"README.md has no block <!-- {wanted} -->");
        }

        foreach (var (command, documented) in blocks)
        {
            var run = await BerthCommand.RunAsync(TimeSpan.FromSeconds(30), command.Split(' ')[1..]);
            Assert.Equal(0, run.ExitCode);
            Assert.True(documented == run.Stdout, $"README.md's `{command}` differs from what it prints; put this in its block:\n{run.Stdout}");
        }
    }
}
