using System.Reflection;
using Berth.ApiServer.Http;

namespace Berth.Cli;

/// <summary><c>berth version</c>: the program's version and commit, and the Kubernetes API version it serves.</summary>
internal sealed class VersionCommand : ICommand
{
    /// <summary><c>0.1.0+&lt;commit&gt;</c> (the commit is left out of builds made outside a git checkout).</summary>
    public static string Version =>
        typeof(VersionCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    public async Task<int> RunAsync()
    {
        await Console.Out.WriteLineAsync($"berth {Version} (Kubernetes API {VersionInfo.GitVersion}, .NET {Environment.Version})").ConfigureAwait(false);
        return 0;
    }
}
