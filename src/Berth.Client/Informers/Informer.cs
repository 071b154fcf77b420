using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Client.Informers;

/// <summary>
/// Keeps an in-memory copy of one resource in sync with the API and tells handlers about every change, like
/// client-go's shared informer (reflector + indexer + processor): list, then watch from the list's resourceVersion;
/// when a watch ends, watch again from the last resourceVersion seen (bookmarks advance it); when that version has
/// been compacted (410 Expired), list again and deliver the differences as adds, updates and deletes.
/// </summary>
/// <remarks>
/// <para>The cache is updated before the handlers hear of a change, so a handler (or a worker it wakes) reading the
/// <see cref="Lister"/> sees at least that change. Handlers run one at a time on the informer's loop.</para>
/// <para>Objects in the cache and in notifications are shared and read-only; clone with <see cref="ObjectCopy"/>.</para>
/// <para>After a re-list, an object whose resourceVersion did not change is not reported (a no-op records nothing);
/// a vanished one is reported through <see cref="IInformerHandler{T}.OnDelete"/> with its last known state rather than
/// a tombstone type.</para>
/// </remarks>
public sealed partial class Informer<T>
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    /// <summary>A watch that ends sooner than this without an event counts as a failure, so a server that closes
    /// watches at once is not hammered.</summary>
    private static readonly TimeSpan _minWatchDuration = TimeSpan.FromSeconds(1);

    private readonly IApiClient _client;
    private readonly InformerOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Dictionary<string, Func<T, IEnumerable<string>>> _indexers = [];
    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Serializes cache changes with handler delivery, so every handler sees every change in order.</summary>
    private readonly Lock _gate = new();

    private IInformerHandler<T>[] _handlers = [];
    private InformerCache<T>? _cache;
    private string _resourceVersion = string.Empty;
    private int _running;

    public Informer(IApiClient client, InformerOptions? options = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        options ??= new InformerOptions();
        options.Validate();
        _client = client;
        _options = options;
        _time = options.TimeProvider;
        _logger = logger ?? NullLogger.Instance;
        Lister = new LiveLister(this);
    }

    /// <summary>Reads the current cache (empty until the first list).</summary>
    public ILister<T> Lister { get; }

    /// <summary>True once the first list is in the cache and its adds have been delivered.</summary>
    public bool HasSynced => _synced.Task.IsCompleted;

    /// <summary>The resourceVersion the cache reflects: where the next watch starts.</summary>
    public string LastSyncResourceVersion
    {
        get
        {
            lock (_gate)
            {
                return _resourceVersion;
            }
        }
    }

    /// <summary>Completes when <see cref="HasSynced"/> becomes true.</summary>
    public Task WaitForSyncAsync(CancellationToken cancellationToken) => _synced.Task.WaitAsync(cancellationToken);

    /// <summary>Adds a named index (see <see cref="Indexers"/>); only before the first <see cref="RunAsync"/>.</summary>
    public void AddIndexer(string name, Func<T, IEnumerable<string>> index)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(index);
        lock (_gate)
        {
            if (_cache is not null)
            {
                throw new InvalidOperationException("indexers must be added before the informer starts");
            }

            if (name == Indexers.Namespace || !_indexers.TryAdd(name, index))
            {
                throw new ArgumentException($"an index named '{name}' exists already", nameof(name));
            }
        }
    }

    /// <summary>
    /// Registers a handler. One added after the informer synced first receives every cached object as an add
    /// (<c>isInInitialList</c> true), then the changes that follow.
    /// </summary>
    public void AddHandler(IInformerHandler<T> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        lock (_gate)
        {
            _handlers = [.. _handlers, handler];
            if (HasSynced && _cache is not null)
            {
                foreach (var obj in _cache.Items.Values)
                {
                    Deliver(handler, static (h, o, _) => h.OnAdd(o, true), obj, null);
                }
            }
        }
    }

    /// <summary>
    /// Lists and watches until <paramref name="cancellationToken"/> fires; failures are retried with backoff and never
    /// end the loop. May be called again after it returned: the cache is kept and watching resumes from
    /// <see cref="LastSyncResourceVersion"/> (re-listing if that has expired meanwhile).
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _running, 1) == 1)
        {
            throw new InvalidOperationException("the informer is running already");
        }

        lock (_gate)
        {
            _cache ??= InformerCache<T>.Empty(_indexers);
        }

        var period = _options.ResyncPeriod;
        using var resync = period > TimeSpan.Zero ? _time.CreateTimer(static s => ((Informer<T>)s!).Resync(), this, period, period) : null;
        try
        {
            await LoopAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Volatile.Write(ref _running, 0);
        }
    }

    private async Task LoopAsync(CancellationToken cancellationToken)
    {
        var backoff = new Backoff(_options.InitialBackoff, _options.MaxBackoff);
        var needList = LastSyncResourceVersion.Length == 0;
        var expiredInARow = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            TimeSpan delay;
            try
            {
                if (needList)
                {
                    await ListAsync(cancellationToken).ConfigureAwait(false);
                    needList = false;
                }

                var started = _time.GetTimestamp();
                var events = await WatchAsync(cancellationToken).ConfigureAwait(false);
                if (events > 0 || _time.GetElapsedTime(started) >= _minWatchDuration)
                {
                    backoff.Reset();
                    expiredInARow = 0;
                    continue;
                }

                delay = backoff.Next();
                Log.WatchEndedEarly(_logger, typeof(T).Name, delay);
            }
            catch (ResourceExpiredException e)
            {
                // The resourceVersion we hold is compacted away: only a fresh list can tell us what happened since.
                Log.WatchExpired(_logger, typeof(T).Name, e.Message);
                needList = true;
                if (expiredInARow++ == 0)
                {
                    continue;
                }

                delay = backoff.Next();
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                delay = backoff.Next();
                var failure = Failure.Of(e);
                Log.ListWatchFailed(_logger, failure.Level, failure.Trace, typeof(T).Name, needList ? "list" : "watch", failure.Reason, delay);
            }

            try
            {
                await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task ListAsync(CancellationToken cancellationToken)
    {
        var query = new ListQuery { LabelSelector = _options.LabelSelector, FieldSelector = _options.FieldSelector };
        var list = await _client.ListAsync<T>(_options.Namespace, query, cancellationToken).ConfigureAwait(false);
        Replace(list);
        _synced.TrySetResult();
    }

    private async Task<int> WatchAsync(CancellationToken cancellationToken)
    {
        var query = new WatchQuery
        {
            LabelSelector = _options.LabelSelector,
            FieldSelector = _options.FieldSelector,
            Timeout = _options.WatchTimeout,
            AllowBookmarks = true,
        };
        var events = 0;
        var stream = _client.WatchAsync<T>(_options.Namespace, LastSyncResourceVersion, query, cancellationToken);
        await foreach (var ev in stream.ConfigureAwait(false))
        {
            events++;
            Apply(ev);
        }

        return events;
    }

    private sealed class LiveLister(Informer<T> informer) : ILister<T>
    {
        private InformerCache<T> Current => Volatile.Read(ref informer._cache) ?? InformerCache<T>.Empty(informer._indexers);

        public T? Get(string? ns, string name) => Current.Get(ns, name);

        public IReadOnlyList<T> List(string? ns = null) => Current.List(ns);

        public IReadOnlyList<T> ByIndex(string indexName, string value) => Current.ByIndex(indexName, value);
    }
}
