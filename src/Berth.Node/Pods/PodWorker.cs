using Berth.Client;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Berth.Node.Pods;

/// <summary>
/// Runs one pod (one UID) as the kubelet's pod worker + SyncPod: one async loop that wakes on a pod update, a container
/// exit, a probe result or a timer, and makes the processes match the pod: sandbox (IP, directory), init containers in
/// order, app containers with their restart policy and back-offs, probes, graceful termination, status. Everything the
/// loop owns is touched only by the loop; informer handlers, exits and probe workers only store a value and wake it.
/// </summary>
internal sealed partial class PodWorker
{
    private static readonly CancellationToken _ended = new(canceled: true);

    private readonly PodRuntime _runtime;
    private readonly ILogger _logger;
    private readonly Action<PodWorker> _onEnded;
    private readonly WakeSignal _wake = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly RestartBackOff _crashBackOff;
    private readonly RestartBackOff _imageBackOff;
    private readonly Dictionary<string, string> _lastPullError = new(StringComparer.Ordinal);
    private readonly List<ContainerRecord> _init = [];
    private readonly List<ContainerRecord> _app = [];
    private V1Pod _latest;
    private volatile bool _gone;
    private V1Pod _pod;
    private bool _restored;
    private bool _restoredTerminal;
    private bool _terminal;
    private bool _terminating;
    private bool _ipReleased;
    private bool _deleted;
    private string? _podIp;
    private DateTime? _startTime;
    private DateTimeOffset? _wakeAt;
    private RunningPod? _snapshot;
    private Task? _loop;

    public PodWorker(V1Pod pod, PodRuntime runtime, Action<PodWorker> onEnded)
    {
        _latest = pod;
        _pod = pod;
        _runtime = runtime;
        _onEnded = onEnded;
        _logger = runtime.Loggers.CreateLogger("Berth.Node.Pods.PodWorker");
        _crashBackOff = new RestartBackOff(runtime.Options.CrashLoopBackOffInitial, runtime.Options.CrashLoopBackOffMax);
        _imageBackOff = new RestartBackOff(runtime.Options.ImagePullBackOffInitial, runtime.Options.ImagePullBackOffMax);
        Uid = pod.Metadata.Uid;
        Namespace = pod.Metadata.NamespaceProperty ?? "default";
        Name = pod.Metadata.Name;
        foreach (var c in pod.Spec?.InitContainers ?? [])
        {
            _init.Add(new ContainerRecord(c, isInit: true));
        }

        foreach (var c in pod.Spec?.Containers ?? [])
        {
            _app.Add(new ContainerRecord(c, isInit: false));
        }
    }

    public string Uid { get; }

    public string Namespace { get; }

    public string Name { get; }

    /// <summary>The pod as the streaming endpoints see it (see <see cref="IContainerDirectory"/>).</summary>
    public RunningPod? Snapshot => Volatile.Read(ref _snapshot);

    private IEnumerable<ContainerRecord> All => _init.Concat(_app);

    private DateTimeOffset Now => _runtime.Time.GetUtcNow();

    public void Start() => _loop = Task.Run(() => RunAsync(_stop.Token));

    /// <summary>A newer copy of the pod from the informer.</summary>
    public void Update(V1Pod pod)
    {
        Volatile.Write(ref _latest, pod);
        _wake.Set();
    }

    /// <summary>The pod is gone from the API.</summary>
    public void MarkGone()
    {
        _gone = true;
        _wake.Set();
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        var done = false;
        try
        {
            while (!done && !cancellationToken.IsCancellationRequested)
            {
                _wakeAt = null;
                try
                {
                    done = await SyncAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    var failure = Failure.Of(e);
                    Log.SyncFailed(_logger, failure.Level, failure.Trace, Namespace, Name, failure.Reason);
                    WakeAt(Now + _runtime.Options.RetryInterval);
                }

                if (!done)
                {
                    await _wake.WaitAsync(_wakeAt, _runtime.Time, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            if (done)
            {
                _onEnded(this);
            }
        }
    }

    /// <summary>
    /// The agent stops: the loop ends, every container gets SIGTERM and, after <paramref name="grace"/>, SIGKILL. The
    /// pod object and its status are left alone (the node lifecycle controller marks them when the node goes quiet).
    /// </summary>
    public async Task ShutdownAsync(TimeSpan grace)
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }

        var stops = new List<Task>();
        foreach (var record in All)
        {
            if (record.Instance is { } instance)
            {
                stops.Add(instance.StopAsync(grace, null, _runtime.Time));
            }
        }

        await Task.WhenAll(stops).ConfigureAwait(false);
        foreach (var record in All)
        {
            if (record.Instance is { } instance)
            {
                instance.End();
                await CloseLogAsync(instance).ConfigureAwait(false);
            }
        }
    }

    private void WakeAt(DateTimeOffset at)
    {
        if (_wakeAt is null || at < _wakeAt)
        {
            _wakeAt = at;
        }
    }

    /// <summary><c>name_namespace(uid)</c>, the kubelet's format.Pod.</summary>
    private string PodDescription => Name + "_" + Namespace + "(" + Uid + ")";

    private async Task CloseLogAsync(ContainerInstance instance)
    {
        try
        {
            // A process that escaped its group may hold the pipes open; do not wait for it forever.
            await instance.LogPumps.WaitAsync(TimeSpan.FromSeconds(5), _runtime.Time).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
        }

        await instance.Log.DisposeAsync().ConfigureAwait(false);
    }
}
