using System.CommandLine;

namespace Berth.Cli;

/// <summary>
/// <c>berth completion bash</c>: a bash completion script. It asks berth itself what may come next, through the
/// command line parser's <c>[suggest:POSITION]</c> directive, so it knows every command, flag and fixed value of the
/// berth it runs.
/// </summary>
internal static class CompletionCommand
{
    public const string Script = """
        # bash completion for berth: source <(berth completion bash)
        _berth_complete() {
          local IFS=$'\n'
          local words
          words=$("${COMP_WORDS[0]}" "[suggest:${COMP_POINT}]" "${COMP_LINE}" 2>/dev/null) || return 0
          COMPREPLY=( $(compgen -W "$words" -- "${COMP_WORDS[COMP_CWORD]}") )
        }
        complete -o default -o bashdefault -F _berth_complete berth ./berth

        """;

    public static Command Create()
    {
        var shell = new Argument<string>("shell") { Description = "the shell (bash)" };
        shell.CompletionSources.Add("bash");
        shell.Validators.Add(result =>
        {
            if (result.Tokens is [{ Value: not "bash" and var other }])
            {
                result.AddError($"only bash is supported, not {other}");
            }
        });
        var command = new Command("completion", "print the shell completion script: source <(berth completion bash)") { shell };
        command.SetAction(_ =>
        {
            Console.Out.Write(Script);
            return 0;
        });
        return command;
    }
}
