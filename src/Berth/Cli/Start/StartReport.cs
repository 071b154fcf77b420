using System.Diagnostics;
using System.Globalization;
using Spectre.Console;

namespace Berth.Cli.Start;

/// <summary>
/// What a person sees while <c>berth up</c>, <c>server</c> or <c>agent</c> starts: one line per finished step with its
/// time, then the ready block. On a terminal the step under way turns beside a spinner and names are coloured; anywhere
/// else (a pipe, a file, a test) plain lines beginning <c>berth: </c>, which scripts and tests may read.
/// </summary>
internal sealed class StartReport : IProgress<string>
{
    private const int NameWidth = 13;

    private readonly bool _terminal;
    private readonly Stopwatch _step = Stopwatch.StartNew();
    private StatusContext? _spinner;

    private StartReport(bool terminal) => _terminal = terminal;

    /// <summary>A report for this process's standard output: coloured with a spinner on a terminal, plain otherwise.</summary>
    public static StartReport ForConsole() =>
        new(!Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Ansi && AnsiConsole.Profile.Capabilities.Interactive);

    /// <summary>A report of plain lines (tests).</summary>
    public static StartReport Plain() => new(terminal: false);

    /// <summary>
    /// Runs <paramref name="start"/>, on a terminal under a spinner that names the step under way (<see cref="Begin"/>).
    /// </summary>
    public async Task<T> RunAsync<T>(string first, Func<Task<T>> start)
    {
        ArgumentNullException.ThrowIfNull(start);
        if (!_terminal)
        {
            return await start().ConfigureAwait(false);
        }

        return await AnsiConsole.Status().Spinner(Spinner.Known.Dots).SpinnerStyle(Style.Parse("blue")).StartAsync(first, async context =>
        {
            _spinner = context;
            try
            {
                return await start().ConfigureAwait(false);
            }
            finally
            {
                _spinner = null;
            }
        }).ConfigureAwait(false);
    }

    /// <summary>The step now under way (the spinner's text on a terminal).</summary>
    public void Begin(string what)
    {
        if (_spinner is { } spinner)
        {
            spinner.Status = what + "…";
        }
    }

    /// <summary>A step finished: its name, what it gave, and the time since the previous step finished.</summary>
    public void Done(string step, string detail)
    {
        var time = FormatDuration(_step.Elapsed);
        _step.Restart();
        if (_terminal)
        {
            AnsiConsole.MarkupLine($"  [green]✓[/] [bold]{Markup.Escape(step.PadRight(NameWidth))}[/]{Markup.Escape(detail)}  [grey]{time}[/]");
        }
        else
        {
            Console.Out.WriteLine($"berth: {step.PadRight(NameWidth)}{detail} ({time})");
        }
    }

    /// <summary>A line that is not a step (which ranges were chosen, and why).</summary>
    public void Note(string text)
    {
        if (_terminal)
        {
            AnsiConsole.MarkupLine($"  [yellow]![/] {Markup.Escape(text)}");
        }
        else
        {
            Console.Out.WriteLine("berth: " + text);
        }
    }

    /// <summary>The ready block: what runs where, and what to paste.</summary>
    public void Ready(ReadyBlock block)
    {
        ArgumentNullException.ThrowIfNull(block);
        var total = FormatDuration(SinceProcessStart());
        if (_terminal)
        {
            AnsiConsole.WriteLine();
            AnsiConsole.MarkupLine($"[bold green]{Markup.Escape(block.Title)}[/] [grey]in {total}[/]");
            foreach (var (label, value) in block.Facts)
            {
                AnsiConsole.MarkupLine($"  [bold]{Markup.Escape(label.PadRight(ReadyBlock.LabelWidth))}[/]{Markup.Escape(value)}");
            }

            foreach (var (heading, lines) in block.Sections)
            {
                AnsiConsole.WriteLine();
                AnsiConsole.MarkupLine($"  {Markup.Escape(heading)}");
                foreach (var line in lines)
                {
                    AnsiConsole.MarkupLine(line.IsCommand ? $"    [cyan]{Markup.Escape(line.Text)}[/]" : $"    [grey]{Markup.Escape(line.Text)}[/]");
                }
            }

            AnsiConsole.WriteLine();
            return;
        }

        var text = Console.Out;
        text.WriteLine($"berth: {block.Title} in {total}");
        foreach (var (label, value) in block.Facts)
        {
            text.WriteLine($"  {label.PadRight(ReadyBlock.LabelWidth)}{value}");
        }

        foreach (var (heading, lines) in block.Sections)
        {
            text.WriteLine($"  {heading}");
            foreach (var line in lines)
            {
                text.WriteLine("    " + line.Text);
            }
        }

        text.Flush();
    }

    /// <summary><see cref="IProgress{T}"/> for <see cref="ApiServer.ApiServerOptions.StartProgress"/>: the API server's own steps.</summary>
    void IProgress<string>.Report(string value) => Done(value, value switch
    {
        "certificates" => "cluster CA, serving certificate and admin token ready",
        "store" => "SQLite store open",
        _ => "done",
    });

    /// <summary>Since the process started (exec), not since <c>Main</c>: the figure a person waits for.</summary>
    private static TimeSpan SinceProcessStart()
    {
        using var self = Process.GetCurrentProcess();
        return DateTime.Now - self.StartTime;
    }

    private static string FormatDuration(TimeSpan time) => time.TotalSeconds >= 1
        ? time.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture) + " s"
        : time.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture) + " ms";
}
