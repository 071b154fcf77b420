using System.CommandLine;
using System.CommandLine.Invocation;
using System.Reflection;
using Berth.ApiServer.Http;

namespace Berth.Cli;

/// <summary><c>berth version</c> (and <c>berth --version</c>): the program's version and commit, and the Kubernetes API version it serves.</summary>
internal sealed class VersionCommand : SynchronousCommandLineAction
{
    /// <summary><c>0.1.0+&lt;commit&gt;</c> (the commit is left out of builds made outside a git checkout).</summary>
    public static string Version =>
        typeof(VersionCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    public static Command Create()
    {
        var command = new Command("version", "print the version and commit, and the Kubernetes API version served") { Action = new VersionCommand() };
        return command;
    }

    public override int Invoke(ParseResult parseResult)
    {
        Console.Out.WriteLine($"berth {Version} (Kubernetes API {VersionInfo.GitVersion}, .NET {Environment.Version})");
        return 0;
    }
}
