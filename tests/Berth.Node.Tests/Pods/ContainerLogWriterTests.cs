using System.Text;
using Berth.Node.Pods;

namespace Berth.Node.Tests.Pods;

public sealed class ContainerLogWriterTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("berth-log-").FullName;
    private readonly ManualTimeProvider _time = new();

    [Fact]
    public async Task Pump_WritesCriRecords_WithPartialLinesForLongOnes()
    {
        var path = Path.Combine(_dir, "0.log");
        var writer = new ContainerLogWriter(path, 10 * 1024 * 1024, 5, _time);
        var longLine = new string('x', ContainerLogWriter.MaxLineBytes + 10);

        await writer.PumpAsync(new MemoryStream(Encoding.UTF8.GetBytes("hello\n" + longLine + "\nlast")), "stdout");
        await writer.DisposeAsync();

        var lines = await File.ReadAllLinesAsync(path);
        var stamp = ContainerLogWriter.Timestamp(_time.GetUtcNow());
        Assert.Equal($"{stamp} stdout F hello", lines[0]);
        Assert.Equal($"{stamp} stdout P {new string('x', ContainerLogWriter.MaxLineBytes)}", lines[1]);
        Assert.Equal($"{stamp} stdout F xxxxxxxxxx", lines[2]);
        Assert.Equal($"{stamp} stdout F last", lines[3]);
    }

    [Fact]
    public async Task Writer_RotatesAtTheSizeLimit_KeepingTheNewestFiles()
    {
        var path = Path.Combine(_dir, "0.log");
        var writer = new ContainerLogWriter(path, 4096, 3, _time);

        for (var i = 0; i < 20; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            await writer.PumpAsync(new MemoryStream(Encoding.UTF8.GetBytes(new string((char)('a' + i), 1000) + "\n")), "stderr");
        }

        await writer.DisposeAsync();

        var files = ContainerLogWriter.Files(path);
        Assert.Equal(3, files.Count);
        Assert.Equal(path, files[^1]);
        Assert.Contains(new string('t', 1000), await File.ReadAllTextAsync(path), StringComparison.Ordinal);
    }

    [Fact]
    public void Timestamp_IsRfc3339NanoWithoutTrailingZeros()
    {
        Assert.Equal("2016-10-06T00:17:09.6697942Z", ContainerLogWriter.Timestamp(new DateTimeOffset(2016, 10, 6, 0, 17, 9, TimeSpan.Zero).AddTicks(6697942)));
        Assert.Equal("2016-10-06T00:17:09Z", ContainerLogWriter.Timestamp(new DateTimeOffset(2016, 10, 6, 0, 17, 9, TimeSpan.Zero)));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
