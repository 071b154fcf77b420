using System.Text;
using Berth.Node.Pods;
using Berth.Node.Streams;

namespace Berth.Node.Tests.Streams;

public sealed class ContainerLogReaderTests : IDisposable
{
    private static readonly DateTimeOffset _t0 = new(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "berth-logs-" + Guid.NewGuid().ToString("N")[..8]);

    public ContainerLogReaderTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private ContainerView Container(params string[][] files)
    {
        var paths = files.Select((lines, i) =>
        {
            var path = Path.Combine(_dir, $"{i}.log");
            File.WriteAllText(path, string.Concat(lines.Select(l => l + "\n")));
            return path;
        }).ToList();
        return new ContainerView
        {
            Name = "c",
            Environment = [],
            WorkingDirectory = _dir,
            Exited = new CancellationToken(canceled: true),
            LogFiles = previous => previous ? [] : paths,
        };
    }

    private static async Task<string> ReadAsync(ContainerView container, LogOptions options)
    {
        var output = new MemoryStream();
        await new ContainerLogReader(TimeProvider.System, TimeSpan.FromMilliseconds(10)).WriteAsync(container, options, output, CancellationToken.None);
        return Encoding.UTF8.GetString(output.ToArray());
    }

    [Fact]
    public async Task Write_JoinsPartialRecords_AcrossRotatedFiles()
    {
        var container = Container(
            ["2024-05-01T12:00:00.100000000Z stdout F first", "2024-05-01T12:00:01.000000000Z stdout P sec"],
            ["2024-05-01T12:00:01.500000000Z stdout F ond", "garbage line", "2024-05-01T12:00:02Z stderr F third"]);

        var text = await ReadAsync(container, new LogOptions());
        var stamped = await ReadAsync(container, new LogOptions { Timestamps = true });

        Assert.Equal("first\nsecond\nthird\n", text);
        Assert.Equal("2024-05-01T12:00:00.1Z first\n2024-05-01T12:00:01Z second\n2024-05-01T12:00:02Z third\n", stamped);
    }

    [Fact]
    public async Task Write_TailSinceAndLimitBytes()
    {
        var container = Container(
        [
            "2024-05-01T12:00:00Z stdout F a",
            "2024-05-01T12:00:10Z stdout P b",
            "2024-05-01T12:00:11Z stdout F b",
            "2024-05-01T12:00:20Z stdout F c",
        ]);

        var tail = await ReadAsync(container, new LogOptions { TailLines = 2 });
        var none = await ReadAsync(container, new LogOptions { TailLines = 0 });
        var since = await ReadAsync(container, new LogOptions { Since = _t0.AddSeconds(15) });
        var limited = await ReadAsync(container, new LogOptions { LimitBytes = 3 });

        Assert.Equal("bb\nc\n", tail);
        Assert.Equal("", none);
        Assert.Equal("c\n", since);
        Assert.Equal("a\nb", limited);
    }

    [Fact]
    public void CriLine_MalformedRecords_AreRejected()
    {
        Assert.False(CriLogLine.TryParse("nonsense"u8.ToArray(), out _));
        Assert.False(CriLogLine.TryParse("notatime stdout F x"u8.ToArray(), out _));
        Assert.True(CriLogLine.TryParse("2024-05-01T12:00:00Z stdout F"u8.ToArray(), out var empty));
        Assert.Equal(0, empty.Content.Length);
    }
}
