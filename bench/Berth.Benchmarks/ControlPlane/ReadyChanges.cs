using System.Collections.Concurrent;
using System.Diagnostics;

namespace Berth.Benchmarks.ControlPlane;

/// <summary>
/// Pod Ready changes in flight, each timed from the start of its status write (a strategic merge PATCH of /status, as the kubelet writes it) and from that write's acknowledgement to the
/// first EndpointSlice watch event that shows the pod with its new ready condition. One change per pod at a time, so
/// an event is never credited to the wrong change.
/// </summary>
internal sealed class ReadyChanges
{
    private readonly ConcurrentDictionary<string, Change> _pending = new(StringComparer.Ordinal);
    private readonly List<double> _fromStart = [];
    private readonly List<double> _fromAck = [];

    public int Pending => _pending.Count;

    public int Completed
    {
        get
        {
            lock (_fromStart)
            {
                return _fromStart.Count;
            }
        }
    }

    public bool IsPending(string pod) => _pending.ContainsKey(pod);

    /// <summary>Call just before the write; false when the pod already has a change in flight.</summary>
    public bool Start(string pod, bool ready) => _pending.TryAdd(pod, new Change(ready, Stopwatch.GetTimestamp()));

    public void Acknowledged(string pod)
    {
        if (_pending.TryGetValue(pod, out var change))
        {
            lock (change)
            {
                change.Ack = Stopwatch.GetTimestamp();
                TryComplete(pod, change);
            }
        }
    }

    /// <summary>A slice event shows <paramref name="pod"/> with ready = <paramref name="ready"/> at <paramref name="timestamp"/>.</summary>
    public void Observed(string pod, bool ready, long timestamp)
    {
        if (_pending.TryGetValue(pod, out var change) && change.Ready == ready)
        {
            lock (change)
            {
                if (change.Seen == 0)
                {
                    change.Seen = timestamp;
                    TryComplete(pod, change);
                }
            }
        }
    }

    /// <summary>Forgets the changes still in flight (their events never came) and returns how many there were.</summary>
    public int Abandon()
    {
        var n = _pending.Count;
        _pending.Clear();
        return n;
    }

    public (List<double> FromStart, List<double> FromAck) Results()
    {
        lock (_fromStart)
        {
            return ([.. _fromStart], [.. _fromAck]);
        }
    }

    private void TryComplete(string pod, Change change)
    {
        if (change.Ack == 0 || change.Seen == 0 || !_pending.TryRemove(pod, out _))
        {
            return;
        }

        lock (_fromStart)
        {
            _fromStart.Add(Stopwatch.GetElapsedTime(change.Start, change.Seen).TotalMilliseconds);

            // Negative when the watch event overtook the write's response on the way back.
            _fromAck.Add((change.Seen - change.Ack) * 1000.0 / Stopwatch.Frequency);
        }
    }

    private sealed class Change(bool ready, long start)
    {
        public bool Ready { get; } = ready;

        public long Start { get; } = start;

        public long Ack { get; set; }

        public long Seen { get; set; }
    }
}
