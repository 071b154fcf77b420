using System.Buffers;
using System.Globalization;
using System.Text;

namespace Berth.Node.Pods;

/// <summary>
/// Writes one container run's stdout and stderr into its log file in the CRI format the kubelet reads
/// (<c>2016-10-06T00:17:09.669794202Z stdout F text</c>; a line longer than <see cref="MaxLineBytes"/> is split into
/// <c>P</c> partial records ending with an <c>F</c>), as containerd's cio does. The live file is rotated to
/// <c>&lt;file&gt;.&lt;UTC timestamp&gt;</c> when it reaches the size limit, keeping at most <c>maxFiles</c> files.
/// </summary>
internal sealed class ContainerLogWriter : IAsyncDisposable
{
    /// <summary>Longest record: longer lines become partial records (containerd's 16 KiB).</summary>
    public const int MaxLineBytes = 16 * 1024;

    private static readonly byte[] _newLine = "\n"u8.ToArray();

    private readonly string _path;
    private readonly long _maxBytes;
    private readonly int _maxFiles;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private FileStream? _file;
    private long _size;

    public ContainerLogWriter(string path, long maxBytes, int maxFiles, TimeProvider time)
    {
        _path = path;
        _maxBytes = maxBytes;
        _maxFiles = Math.Max(1, maxFiles);
        _time = time;
        _file = Open(path);
        _size = _file.Length;
    }

    /// <summary>The rotated files of <paramref name="livePath"/>, oldest first, then the live file (if it exists).</summary>
    public static IReadOnlyList<string> Files(string livePath)
    {
        var dir = Path.GetDirectoryName(livePath)!;
        if (!Directory.Exists(dir))
        {
            return [];
        }

        var rotated = Rotated(livePath);
        if (File.Exists(livePath))
        {
            rotated.Add(livePath);
        }

        return rotated;
    }

    /// <summary>The rotated files of <paramref name="livePath"/> (<c>&lt;live&gt;.&lt;stamp&gt;</c>), oldest first.</summary>
    private static List<string> Rotated(string livePath)
    {
        // Not a "name.*" search pattern: .NET's matching lets that match "name" itself.
        var prefix = Path.GetFileName(livePath) + ".";
        return Directory.EnumerateFiles(Path.GetDirectoryName(livePath)!)
            .Where(f => Path.GetFileName(f).StartsWith(prefix, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Copies <paramref name="source"/> into the log until end of file, tagging records with <paramref name="stream"/>.</summary>
    public async Task PumpAsync(Stream source, string stream)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(8192);
        var line = new ArrayBufferWriter<byte>(256);
        try
        {
            while (true)
            {
                int read;
                try
                {
                    read = await source.ReadAsync(buffer).ConfigureAwait(false);
                }
                catch (IOException)
                {
                    read = 0;
                }
                catch (ObjectDisposedException)
                {
                    read = 0;
                }

                if (read == 0)
                {
                    break;
                }

                var span = buffer.AsMemory(0, read);
                while (span.Length > 0)
                {
                    var newline = span.Span.IndexOf((byte)'\n');
                    var take = newline < 0 ? span.Length : newline;
                    var room = MaxLineBytes - line.WrittenCount;
                    if (take >= room)
                    {
                        line.Write(span.Span[..room]);
                        span = span[room..];
                        await WriteRecordAsync(stream, 'P', line.WrittenMemory).ConfigureAwait(false);
                        line.Clear();
                        continue;
                    }

                    line.Write(span.Span[..take]);
                    span = span[take..];
                    if (newline >= 0)
                    {
                        span = span[1..];
                        await WriteRecordAsync(stream, 'F', line.WrittenMemory).ConfigureAwait(false);
                        line.Clear();
                    }
                }
            }

            if (line.WrittenCount > 0)
            {
                await WriteRecordAsync(stream, 'F', line.WrittenMemory).ConfigureAwait(false);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            await source.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task WriteRecordAsync(string stream, char tag, ReadOnlyMemory<byte> content)
    {
        var prefix = Encoding.ASCII.GetBytes(Timestamp(_time.GetUtcNow()) + " " + stream + " " + tag + " ");
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_file is null)
            {
                return;
            }

            var length = prefix.Length + content.Length + 1;
            if (_size > 0 && _size + length > _maxBytes)
            {
                Rotate();
            }

            await _file.WriteAsync(prefix).ConfigureAwait(false);
            await _file.WriteAsync(content).ConfigureAwait(false);
            await _file.WriteAsync(_newLine).ConfigureAwait(false);
            await _file.FlushAsync().ConfigureAwait(false);
            _size += length;
        }
        catch (IOException)
        {
            // A full disk must not stop the container; its output is lost, as with a CRI runtime.
        }
        finally
        {
            _gate.Release();
        }
    }

    private void Rotate()
    {
        _file!.Dispose();
        var stamp = _time.GetUtcNow().UtcDateTime.ToString("yyyyMMdd-HHmmss.fffffff", CultureInfo.InvariantCulture);
        File.Move(_path, _path + "." + stamp, overwrite: true);
        var rotated = Rotated(_path);
        for (var i = 0; i < rotated.Count - (_maxFiles - 1); i++)
        {
            File.Delete(rotated[i]);
        }

        _file = Open(_path);
        _size = 0;
    }

    /// <summary>RFC 3339 with nanoseconds, trailing zeros trimmed (Go's time.RFC3339Nano, as containerd writes).</summary>
    internal static string Timestamp(DateTimeOffset time)
    {
        var utc = time.UtcDateTime;
        var fraction = (utc.Ticks % TimeSpan.TicksPerSecond * 100).ToString("D9", CultureInfo.InvariantCulture).TrimEnd('0');
        return utc.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture) + (fraction.Length > 0 ? "." + fraction : string.Empty) + "Z";
    }

    private static FileStream Open(string path) =>
        new(path, new FileStreamOptions { Mode = FileMode.Append, Access = FileAccess.Write, Share = FileShare.ReadWrite | FileShare.Delete, Options = FileOptions.Asynchronous });

    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_file is not null)
            {
                await _file.DisposeAsync().ConfigureAwait(false);
                _file = null;
            }
        }
        finally
        {
            _gate.Release();
        }
    }
}
