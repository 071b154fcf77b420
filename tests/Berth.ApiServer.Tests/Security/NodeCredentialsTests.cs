using System.Net;
using System.Text;
using Berth.ApiServer.Security;

namespace Berth.ApiServer.Tests.Security;

/// <summary>
/// <c>berth kubeconfig --node</c>'s two pieces: a data directory's credentials loaded without changing anything, and a
/// node kubeconfig kept while it is still good for the same server and CA, issued again otherwise.
/// </summary>
public sealed class NodeCredentialsTests : IDisposable
{
    private const string Server = "https://127.0.0.1:6443";

    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "berth-nodecred-" + Guid.NewGuid().ToString("N")[..12]);
    private readonly DateTimeOffset _now = DateTimeOffset.UtcNow;

    public void Dispose()
    {
        if (Directory.Exists(_dataDir))
        {
            Directory.Delete(_dataDir, recursive: true);
        }
    }

    [Fact]
    public void LoadExisting_EmptyDirectory_NullAndNothingCreated()
    {
        Directory.CreateDirectory(_dataDir);

        Assert.Null(ClusterCredentials.LoadExisting(_dataDir));
        Assert.Empty(Directory.EnumerateFileSystemEntries(_dataDir));
    }

    [Fact]
    public void LoadExisting_AServersDirectory_ItsCaAndServingCertificateUnchanged()
    {
        var made = ClusterCredentials.LoadOrCreate(_dataDir, [IPAddress.Parse("127.0.0.2")], ["berth.test"], TimeProvider.System);
        var files = Directory.GetFiles(_dataDir).ToDictionary(f => f, File.ReadAllText);

        var loaded = ClusterCredentials.LoadExisting(_dataDir);

        Assert.NotNull(loaded);
        Assert.Equal(made.CaPem, loaded.CaPem);
        Assert.Equal(made.AdminToken, loaded.AdminToken);
        Assert.True(loaded.IsServerCertificate(made.ServingCertificate));
        Assert.All(files, f => Assert.Equal(f.Value, File.ReadAllText(f.Key)));
    }

    [Fact]
    public void WriteOrReuse_SameServerAndValid_KeepsTheFile()
    {
        var credentials = ClusterCredentials.LoadOrCreate(_dataDir, [], [], TimeProvider.System);
        var path = NodeCredentials.WriteOrReuse(credentials, _dataDir, Server, "n1", _now);
        var first = File.ReadAllText(path);

        var again = NodeCredentials.WriteOrReuse(credentials, _dataDir, Server, "n1", _now.AddDays(300));

        Assert.Equal(path, again);
        Assert.Equal(first, File.ReadAllText(path));
    }

    [Fact]
    public void WriteOrReuse_OtherServerNearExpiryOrOtherCa_IssuesAgain()
    {
        var credentials = ClusterCredentials.LoadOrCreate(_dataDir, [], [], TimeProvider.System);
        var path = NodeCredentials.WriteOrReuse(credentials, _dataDir, Server, "n1", _now);
        var first = File.ReadAllText(path);
        var otherDir = _dataDir + "-other";
        var otherCa = ClusterCredentials.LoadOrCreate(otherDir, [], [], TimeProvider.System);
        Directory.Delete(otherDir, recursive: true);

        NodeCredentials.WriteOrReuse(credentials, _dataDir, "https://127.0.0.1:7443", "n1", _now);
        var forOtherServer = File.ReadAllText(path);
        NodeCredentials.WriteOrReuse(credentials, _dataDir, "https://127.0.0.1:7443", "n1", _now.AddDays(340));
        var nearExpiry = File.ReadAllText(path);
        NodeCredentials.WriteOrReuse(otherCa, _dataDir, "https://127.0.0.1:7443", "n1", _now);
        var ofOtherCa = File.ReadAllText(path);

        Assert.Contains("server: https://127.0.0.1:7443\n", forOtherServer, StringComparison.Ordinal);
        Assert.Equal(4, new[] { first, forOtherServer, nearExpiry, ofOtherCa }.Distinct().Count());
        Assert.Contains(Convert.ToBase64String(Encoding.ASCII.GetBytes(otherCa.CaPem)), ofOtherCa, StringComparison.Ordinal);
    }
}
