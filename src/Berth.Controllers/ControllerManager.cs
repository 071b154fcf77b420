using Berth.Client;
using Berth.Client.Informers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Controllers;

/// <summary>
/// Runs every controller of the control plane over one set of shared informers, all through the Kubernetes API
/// (<see cref="IApiClient"/>), so the same controllers work in <c>berth up</c> and against a remote server.
/// </summary>
/// <remarks>
/// Supervision: a controller's workers log a failing key and retry it with back-off (<c>WorkerLoop</c>), and informers
/// retry list and watch for ever, so neither ends on an error. A controller that stops anyway — it returned or threw
/// while the manager runs — is logged once as Critical and reported through <see cref="Failed"/>: the process that
/// hosts the manager should stop with <see cref="ControllerFailure.Message"/> rather than go on half-running.
/// </remarks>
public sealed partial class ControllerManager : IAsyncDisposable
{
    private readonly SharedInformers _informers;
    private readonly List<IController> _controllers = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _running = [];
    private readonly TaskCompletionSource<ControllerFailure> _failed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ILogger _logger;

    public ControllerManager(IApiClient client, ControllerOptions options, ILoggerFactory? loggers = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        Loggers = loggers ?? NullLoggerFactory.Instance;
        _informers = new SharedInformers(client, Loggers, options.TimeProvider);
        _logger = Loggers.CreateLogger<ControllerManager>();
    }

    /// <summary>
    /// Completes with the first controller that stopped while the manager runs (see the remarks); never completes when
    /// none does, nor because of <see cref="DisposeAsync"/>. A host waits on it beside its stop signal.
    /// </summary>
    public Task<ControllerFailure> Failed => _failed.Task;

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
            _running.Add(Task.Run(() => SuperviseAsync(controller), CancellationToken.None));
        }
    }

    private async Task SuperviseAsync(IController controller)
    {
        Exception? error = null;
        try
        {
            await controller.RunAsync(_stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
#pragma warning disable CA1031 // Reported through Failed: the host decides to stop, with this message.
        catch (Exception e)
#pragma warning restore CA1031
        {
            error = e;
        }

        if (_stop.IsCancellationRequested)
        {
            return;
        }

        var failure = new ControllerFailure(controller.Name, error);
        Log.ControllerStopped(_logger, controller.Name, error);
        _failed.TrySetResult(failure);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_running).ConfigureAwait(false); // supervised: they never throw

        await _informers.DisposeAsync().ConfigureAwait(false);
        _stop.Dispose();
    }
}
