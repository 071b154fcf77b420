using Berth.Client;
using Berth.Client.Informers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Controllers;

/// <summary>
/// Runs every controller of the control plane over one set of shared informers, all through the Kubernetes API
/// (<see cref="IApiClient"/>), so the same controllers work in <c>berth up</c> and against a remote server.
/// </summary>
public sealed class ControllerManager : IAsyncDisposable
{
    private readonly SharedInformers _informers;
    private readonly List<IController> _controllers = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _running = [];

    public ControllerManager(IApiClient client, ControllerOptions options, ILoggerFactory? loggers = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        Loggers = loggers ?? NullLoggerFactory.Instance;
        _informers = new SharedInformers(client, Loggers, options.TimeProvider);
    }

    public ControllerOptions Options { get; }

    public ILoggerFactory Loggers { get; }

    public SharedInformers Informers => _informers;

    public IApiClient Client => _informers.Client;

    public IReadOnlyList<IController> Controllers => _controllers;

    /// <summary>Adds a controller built from this manager's informers; only before <see cref="StartAsync"/>.</summary>
    public void Add(Func<ControllerManager, IController> create)
    {
        ArgumentNullException.ThrowIfNull(create);
        _controllers.Add(create(this));
    }

    /// <summary>Starts the informers, waits for them to sync, then starts every controller.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await _informers.StartAsync(cancellationToken).ConfigureAwait(false);
        foreach (var controller in _controllers)
        {
            _running.Add(Task.Run(() => controller.RunAsync(_stop.Token), CancellationToken.None));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(_running).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        await _informers.DisposeAsync().ConfigureAwait(false);
        _stop.Dispose();
    }
}
