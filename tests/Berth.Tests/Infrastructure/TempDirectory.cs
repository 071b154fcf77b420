namespace Berth.Tests.Infrastructure;

/// <summary>
/// A fresh data directory (<see cref="Cluster.NewDataDir"/>) removed when disposed. Declare it before the processes
/// that use it: <c>using</c> declarations dispose in reverse order, so they stop first.
/// </summary>
internal sealed class TempDirectory : IDisposable
{
    public string Path { get; } = Cluster.NewDataDir();

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A process that outlived its test still writes there; the test's own assertions say so.
        }
    }
}
