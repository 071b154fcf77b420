using System.Text;
using Berth.Node.Pods;

namespace Berth.Node.Streams;

/// <summary>
/// Serves a container's log as the kubelet's <c>ReadLogs</c> does: CRI records of the run's files, oldest first,
/// partial records joined, filtered by <c>since</c>, cut to the last <c>tailLines</c> lines and <c>limitBytes</c>
/// bytes, with the timestamp in front when asked; with <c>follow</c> new records are streamed (flushed one by one)
/// until the container's current instance ends and its file is drained.
/// </summary>
internal sealed class ContainerLogReader
{
    private readonly TimeProvider _time;
    private readonly TimeSpan _pollInterval;

    public ContainerLogReader(TimeProvider time, TimeSpan pollInterval)
    {
        _time = time;
        _pollInterval = pollInterval;
    }

    public async Task WriteAsync(ContainerView container, LogOptions options, Stream output, CancellationToken cancellationToken)
    {
        var emitter = new Emitter(output, options);
        var files = container.LogFiles(options.Previous);
        if (files.Count == 0)
        {
            return;
        }

        var tail = options.TailLines is { } n ? new Queue<List<CriLogLine>>() : null;
        var group = new List<CriLogLine>();
        LogFileCursor? cursor = null;
        foreach (var path in files)
        {
            cursor = new LogFileCursor(path);
            foreach (var line in await cursor.ReadNewAsync(cancellationToken).ConfigureAwait(false))
            {
                if (!emitter.Wanted(line))
                {
                    continue;
                }

                if (tail is null)
                {
                    await emitter.EmitAsync(line, flush: false, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                group.Add(line);
                if (!line.Partial)
                {
                    tail.Enqueue(group);
                    group = [];
                    if (tail.Count > options.TailLines)
                    {
                        tail.Dequeue();
                    }
                }
            }
        }

        if (tail is not null)
        {
            if (group.Count > 0)
            {
                tail.Enqueue(group); // an unfinished last line counts as a line
                if (tail.Count > options.TailLines)
                {
                    tail.Dequeue();
                }
            }

            foreach (var line in tail.SelectMany(g => g))
            {
                await emitter.EmitAsync(line, flush: false, cancellationToken).ConfigureAwait(false);
            }
        }

        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        if (!options.Follow || options.Previous || cursor is null)
        {
            return;
        }

        await FollowAsync(container, cursor, emitter, cancellationToken).ConfigureAwait(false);
    }

    private async Task FollowAsync(ContainerView container, LogFileCursor cursor, Emitter emitter, CancellationToken cancellationToken)
    {
        while (!emitter.LimitReached)
        {
            // Read the exit state before draining: whatever was written before the instance ended is then read.
            var exited = container.Exited.IsCancellationRequested;
            foreach (var line in await cursor.ReadNewAsync(cancellationToken).ConfigureAwait(false))
            {
                if (emitter.Wanted(line))
                {
                    await emitter.EmitAsync(line, flush: true, cancellationToken).ConfigureAwait(false);
                }
            }

            var current = container.LogFiles(false);
            if (current.Count > 0 && current[^1] != cursor.Path && !current.Contains(cursor.Path))
            {
                // The live file was rotated away and drained above: continue with the new live file.
                cursor = new LogFileCursor(current[^1]);
                continue;
            }

            if (exited)
            {
                return;
            }

            using var wake = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, container.Exited);
            try
            {
                await Task.Delay(_pollInterval, _time, wake.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // The container ended: one more pass drains its file.
            }
        }
    }

    /// <summary>Turns records into output bytes: since filter, timestamps on the first record of a line, byte limit.</summary>
    private sealed class Emitter(Stream output, LogOptions options)
    {
        private long _written;
        private bool _midLine;

        public bool LimitReached { get; private set; }

        public bool Wanted(CriLogLine line) => options.Since is not { } since || line.Time >= since;

        public async ValueTask EmitAsync(CriLogLine line, bool flush, CancellationToken cancellationToken)
        {
            if (LimitReached)
            {
                return;
            }

            var prefix = options.Timestamps && !_midLine ? Encoding.ASCII.GetBytes(line.PrintedTimestamp + " ") : [];
            _midLine = line.Partial;
            byte[] bytes = [.. prefix, .. line.Content.Span, .. (line.Partial ? ReadOnlySpan<byte>.Empty : "\n"u8)];
            var length = bytes.Length;
            if (options.LimitBytes is { } limit && _written + length >= limit)
            {
                length = (int)Math.Max(0, limit - _written);
                LimitReached = true;
            }

            _written += length;
            await output.WriteAsync(bytes.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
            if (flush || LimitReached)
            {
                await output.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
