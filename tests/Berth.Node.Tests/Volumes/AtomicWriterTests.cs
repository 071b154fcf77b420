using System.Text;
using Berth.Node.Volumes;

namespace Berth.Node.Tests.Volumes;

public sealed class AtomicWriterTests : IDisposable
{
    private static readonly DateTimeOffset _now = new(2026, 12, 3, 15, 4, 5, TimeSpan.Zero);
    private readonly string _dir = Path.Combine(Directory.CreateTempSubdirectory("berth-atomic-").FullName, "volume");

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(_dir)!, recursive: true);

    private static Dictionary<string, FileProjection> Payload(params (string Path, string Text)[] files) =>
        files.ToDictionary(f => f.Path, f => new FileProjection(Encoding.UTF8.GetBytes(f.Text), (UnixFileMode)420), StringComparer.Ordinal);

    private string Entries() => string.Join(' ', Directory.EnumerateFileSystemEntries(_dir).Select(Path.GetFileName).Order(StringComparer.Ordinal));

    [Fact]
    public void Write_New_MakesTimestampedDirectory_DataLink_AndOneLinkPerTopLevelName()
    {
        var (changed, error) = AtomicWriter.Write(_dir, Payload(("a", "1"), ("sub/b", "2")), _now);

        Assert.True(changed);
        Assert.Null(error);
        var data = new FileInfo(Path.Combine(_dir, "..data")).LinkTarget!;
        Assert.StartsWith("..2026_12_03_15_04_05.", data, StringComparison.Ordinal);
        Assert.Equal("..data/a", new FileInfo(Path.Combine(_dir, "a")).LinkTarget);
        Assert.Equal("..data/sub", new FileInfo(Path.Combine(_dir, "sub")).LinkTarget);
        Assert.Equal("2", File.ReadAllText(Path.Combine(_dir, "sub", "b")));
        Assert.Equal((UnixFileMode)420, File.GetUnixFileMode(Path.Combine(_dir, data, "a")));
    }

    [Fact]
    public void Write_Update_SwapsData_RemovesGoneNames_AndTheOldDirectory()
    {
        AtomicWriter.Write(_dir, Payload(("a", "1"), ("old", "x")), _now);
        var first = new FileInfo(Path.Combine(_dir, "..data")).LinkTarget!;

        var (changed, _) = AtomicWriter.Write(_dir, Payload(("a", "2"), ("new", "y")), _now.AddSeconds(1));

        Assert.True(changed);
        Assert.Equal("2", File.ReadAllText(Path.Combine(_dir, "a")));
        Assert.False(Directory.Exists(Path.Combine(_dir, first)));
        var second = new FileInfo(Path.Combine(_dir, "..data")).LinkTarget!;
        Assert.Equal($"{second} ..data a new", Entries());
    }

    [Fact]
    public void Write_SamePayload_ChangesNothing()
    {
        AtomicWriter.Write(_dir, Payload(("a", "1")), _now);
        var first = new FileInfo(Path.Combine(_dir, "..data")).LinkTarget;

        var (changed, _) = AtomicWriter.Write(_dir, Payload(("a", "1")), _now.AddSeconds(1));

        Assert.False(changed);
        Assert.Equal(first, new FileInfo(Path.Combine(_dir, "..data")).LinkTarget);
    }

    [Theory]
    [InlineData("/etc/passwd", "invalid path: must be relative path: /etc/passwd")]
    [InlineData("a/../../b", "invalid path: must not contain '..': a/../../b")]
    [InlineData("..data", "invalid path: must not start with '..': ..data")]
    public void Write_BadPath_IsAnError(string path, string expected)
    {
        var (changed, error) = AtomicWriter.Write(_dir, Payload((path, "x")), _now);

        Assert.False(changed);
        Assert.Equal(expected, error);
    }
}
