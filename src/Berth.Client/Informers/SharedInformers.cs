using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Client.Informers;

/// <summary>
/// One informer per resource type for every controller of a process (client-go's SharedInformerFactory): controllers
/// ask for <see cref="For{T}"/> and register handlers and indexers while they are being constructed; then
/// <see cref="StartAsync"/> runs every informer and waits until all have synced.
/// </summary>
public sealed class SharedInformers : IAsyncDisposable
{
    private readonly IApiClient _client;
    private readonly ILoggerFactory _loggers;
    private readonly TimeProvider _time;
    private readonly Dictionary<Type, object> _informers = [];
    private readonly List<Task> _running = [];
    private readonly List<Func<CancellationToken, Task>> _runs = [];
    private readonly List<Func<CancellationToken, Task>> _syncs = [];
    private CancellationTokenSource? _stop;

    public SharedInformers(IApiClient client, ILoggerFactory? loggers = null, TimeProvider? time = null)
    {
        _client = client;
        _loggers = loggers ?? NullLoggerFactory.Instance;
        _time = time ?? TimeProvider.System;
    }

    public IApiClient Client => _client;

    /// <summary>The informer of <typeparamref name="T"/> across all namespaces, created on first request.</summary>
    public Informer<T> For<T>()
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        lock (_informers)
        {
            if (_informers.TryGetValue(typeof(T), out var existing))
            {
                return (Informer<T>)existing;
            }

            if (_stop is not null)
            {
                throw new InvalidOperationException($"informer for {typeof(T).Name} requested after start");
            }

            var informer = new Informer<T>(_client, new InformerOptions { TimeProvider = _time }, _loggers.CreateLogger("Berth.Client.Informer." + typeof(T).Name));
            _informers[typeof(T)] = informer;
            _runs.Add(informer.RunAsync);
            _syncs.Add(informer.WaitForSyncAsync);
            return informer;
        }
    }

    /// <summary>Runs every informer requested so far and returns once all have synced.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        lock (_informers)
        {
            _stop = new CancellationTokenSource();
            foreach (var run in _runs)
            {
                _running.Add(Task.Run(() => run(_stop.Token), CancellationToken.None));
            }
        }

        await Task.WhenAll(_syncs.Select(s => s(cancellationToken))).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (_stop is null)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(_running).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }
}
