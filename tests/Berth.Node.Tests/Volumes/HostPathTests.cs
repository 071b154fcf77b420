using Berth.Node.Volumes;

namespace Berth.Node.Tests.Volumes;

public sealed class HostPathTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("berth-hostpath-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Check_OrCreateTypesCreate_OthersOnlyCheck()
    {
        var dir = Path.Combine(_root, "made");
        var file = Path.Combine(_root, "made.txt");

        Assert.Null(HostPath.Check(dir, "DirectoryOrCreate"));
        Assert.Null(HostPath.Check(file, "FileOrCreate"));

        Assert.True(Directory.Exists(dir));
        Assert.True(File.Exists(file));
        Assert.Null(HostPath.Check(dir, "Directory"));
        Assert.Null(HostPath.Check(file, "File"));
        Assert.Equal($"hostPath type check failed: {file} is not a directory", HostPath.Check(file, "Directory"));
        Assert.Equal($"hostPath type check failed: {dir} is not a file", HostPath.Check(dir, "FileOrCreate"));
        Assert.Equal($"hostPath type check failed: {_root}/none is not a directory", HostPath.Check(_root + "/none", "Directory"));
        Assert.Equal($"hostPath type check failed: {file} is not a socket file", HostPath.Check(file, "Socket"));
        Assert.Null(HostPath.Check("/dev/null", "CharDevice"));
    }
}
