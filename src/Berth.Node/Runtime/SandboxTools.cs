namespace Berth.Node.Runtime;

/// <summary>The util-linux and hostname tools the sandbox wrapper runs, as absolute paths (null when missing).</summary>
internal sealed record SandboxTools(string? Unshare, string? Mount, string? Hostname, string? Setpriv)
{
    /// <summary>The shell every wrapper runs its few steps in (the launcher's tty shim uses it too).</summary>
    public const string Shell = "/bin/sh";

    /// <summary>Looks the tools up in the agent's own <c>PATH</c>.</summary>
    public static SandboxTools Find()
    {
        var path = Environment.GetEnvironmentVariable("PATH");
        string? Find(string name) => ProcessLauncher.ResolveExecutable(name, path, "/");
        return new SandboxTools(Find("unshare"), Find("mount"), Find("hostname"), Find("setpriv"));
    }

    /// <summary>The tools <paramref name="mode"/> needs that are missing, for the limitation message; empty when none is.</summary>
    public IReadOnlyList<string> Missing(SandboxMode mode)
    {
        var missing = new List<string>();
        if (Unshare is null)
        {
            missing.Add("unshare");
        }

        if (Mount is null)
        {
            missing.Add("mount");
        }

        if (mode == SandboxMode.UserNamespace && Hostname is null)
        {
            missing.Add("hostname");
        }

        if (mode == SandboxMode.UserNamespace && Setpriv is null)
        {
            missing.Add("setpriv");
        }

        return missing;
    }
}
