namespace Berth.Node.Streams;

/// <summary>
/// Reads the complete records of one CRI log file from a byte offset on; a record the runtime is still writing (no
/// newline yet) is left for the next read.
/// </summary>
internal sealed class LogFileCursor
{
    private readonly byte[] _buffer = new byte[64 * 1024];
    private byte[] _pending = [];

    public LogFileCursor(string path)
    {
        Path = path;
    }

    public string Path { get; }

    public long Offset { get; private set; }

    /// <summary>Every complete record added since the last call (an empty list when the file is missing).</summary>
    public async Task<List<CriLogLine>> ReadNewAsync(CancellationToken cancellationToken)
    {
        var lines = new List<CriLogLine>();
        FileStream file;
        try
        {
            file = new FileStream(Path, new FileStreamOptions { Mode = FileMode.Open, Access = FileAccess.Read, Share = FileShare.ReadWrite | FileShare.Delete, Options = FileOptions.Asynchronous });
        }
        catch (FileNotFoundException)
        {
            return lines;
        }
        catch (DirectoryNotFoundException)
        {
            return lines;
        }

        await using (file.ConfigureAwait(false))
        {
            if (file.Length < Offset)
            {
                // Truncated or replaced: start over.
                Offset = 0;
                _pending = [];
            }

            file.Seek(Offset + _pending.Length, SeekOrigin.Begin);
            int read;
            while ((read = await file.ReadAsync(_buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                var chunk = _buffer.AsSpan(0, read);
                while (true)
                {
                    var newline = chunk.IndexOf((byte)'\n');
                    if (newline < 0)
                    {
                        _pending = [.. _pending, .. chunk];
                        break;
                    }

                    byte[] record = [.. _pending, .. chunk[..newline]];
                    Offset += record.Length + 1;
                    _pending = [];
                    chunk = chunk[(newline + 1)..];
                    if (CriLogLine.TryParse(record, out var line))
                    {
                        lines.Add(line);
                    }
                }
            }
        }

        return lines;
    }
}
