namespace Berth.Tests.Infrastructure;

/// <summary>A finished <c>berth</c> process: its exit code and what it wrote.</summary>
public sealed record BerthRun(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>Standard output, then standard error.</summary>
    public string Output => Stdout + Stderr;

    public void Deconstruct(out int exitCode, out string output)
    {
        exitCode = ExitCode;
        output = Output;
    }
}
