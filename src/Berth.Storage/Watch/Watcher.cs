using System.Threading.Channels;

namespace Berth.Storage.Watch;

/// <summary>
/// One watch's subscription. Events arrive in three consecutive parts with no gap and no overlap:
/// history rows in (<see cref="AfterRevision"/>, <see cref="ReplayThrough"/>] read from the log table, then
/// <see cref="Backlog"/> copied from the event cache, then live events through <see cref="Events"/>.
/// </summary>
internal sealed class Watcher
{
    private readonly Channel<StoreEvent> _events;

    public Watcher(string prefix, long afterRevision, int bufferSize)
    {
        Prefix = prefix;
        AfterRevision = afterRevision;
        _events = Channel.CreateBounded<StoreEvent>(new BoundedChannelOptions(bufferSize)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    public string Prefix { get; }

    public long AfterRevision { get; }

    /// <summary>History to read from the log table first: revisions in (<see cref="AfterRevision"/>, this]; none when not greater.</summary>
    public long ReplayThrough { get; set; }

    public List<StoreEvent> Backlog { get; } = [];

    public ChannelReader<StoreEvent> Events => _events.Reader;

    /// <summary>True when the watcher was ended because its buffer was full.</summary>
    public bool Overflowed { get; private set; }

    public bool Matches(StoreEvent storeEvent) =>
        storeEvent.Revision > AfterRevision && storeEvent.Value.Key.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>Never blocks: a full buffer ends the watcher (it still drains what it has) and returns false.</summary>
    public bool TryDeliver(StoreEvent storeEvent)
    {
        if (_events.Writer.TryWrite(storeEvent))
        {
            return true;
        }

        Overflowed = true;
        _events.Writer.TryComplete();
        return false;
    }

    public void Complete() => _events.Writer.TryComplete();
}
