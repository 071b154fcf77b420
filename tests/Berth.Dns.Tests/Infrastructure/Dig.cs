using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;

namespace Berth.Dns.Tests.Infrastructure;

/// <summary>Runs the installed <c>dig</c> (Debian bind9-dnsutils) against one server and reads its status and answer lines.</summary>
internal static partial class Dig
{
    public sealed record Result(string Status, string Flags, IReadOnlyList<string> Answers, IReadOnlyList<string> Authority, string Output);

    public static async Task<Result> QueryAsync(IPEndPoint server, string name, string type, params string[] options)
    {
        var info = new ProcessStartInfo("dig") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in (string[])[$"@{server.Address}", "-p", server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "+time=3", "+tries=1", .. options, name, type])
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var status = Status().Match(output);
        var flags = Flags().Match(output);
        return new Result(
            status.Success ? status.Groups[1].Value : "none",
            flags.Success ? flags.Groups[1].Value : "",
            Section(output, "ANSWER"),
            Section(output, "AUTHORITY"),
            output);
    }

    /// <summary>The records of one section, whitespace collapsed: <c>name. 5 IN A 10.0.0.1</c>.</summary>
    private static List<string> Section(string output, string section)
    {
        var lines = new List<string>();
        var inside = false;
        foreach (var line in output.Split('\n'))
        {
            if (line.StartsWith($";; {section} SECTION", StringComparison.Ordinal))
            {
                inside = true;
            }
            else if (inside && (line.Length == 0 || line.StartsWith(';')))
            {
                break;
            }
            else if (inside)
            {
                lines.Add(Spaces().Replace(line.Trim(), " "));
            }
        }

        return lines;
    }

    [GeneratedRegex(@"status: (\w+)")]
    private static partial Regex Status();

    [GeneratedRegex(@";; flags: ([a-z ]+);")]
    private static partial Regex Flags();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
