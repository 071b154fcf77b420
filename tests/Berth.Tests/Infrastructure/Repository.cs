namespace Berth.Tests.Infrastructure;

/// <summary>The repository the tests run from (README.md, examples/).</summary>
internal static class Repository
{
    /// <summary>The directory holding Berth.slnx, above the test's output folder.</summary>
    public static string Root()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Berth.slnx")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("the repository root (Berth.slnx) is not above " + AppContext.BaseDirectory);
    }
}
