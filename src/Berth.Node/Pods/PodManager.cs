using System.Collections.Concurrent;
using System.Net;
using Berth.Client;
using Berth.Client.Informers;
using Berth.Core.Files;
using Berth.Node.Images;
using Berth.Node.Networking;
using Berth.Node.Probes;
using Berth.Node.Resolver;
using Berth.Node.Runtime;
using Berth.Node.Volumes;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Berth.Node.Pods;

/// <summary>
/// The kubelet's pod side for one node: watches the pods bound to <see cref="NodeAgentOptions.NodeName"/>
/// (field selector <c>spec.nodeName</c>) and every Service (for the service environment variables), and runs one
/// <see cref="PodWorker"/> per pod — an async loop, not a thread. Pods get addresses from the node's pod CIDR.
/// </summary>
/// <remarks>
/// Deliberate difference from the kubelet: containers do not outlive the agent. The launcher's reaper kills them when
/// the agent ends (even on SIGKILL); a restarted agent finds its pods in the API, takes their IPs back and starts their
/// containers again (restart counts go up; pods already Succeeded or Failed stay as they are).
/// </remarks>
public sealed partial class PodManager : IContainerDirectory, IAsyncDisposable
{
    private readonly IApiClient _client;
    private readonly NodeAgentOptions _node;
    private readonly PodRuntimeOptions _options;
    private readonly string _podCidr;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<string, PodWorker> _workers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, PodWorker> _byName = new(StringComparer.Ordinal);
    private readonly List<Task> _informerLoops = [];
    private Informer<V1Pod>? _pods;
    private Informer<V1Service>? _services;
    private PodRuntime? _runtime;
    /// <summary>The file in the data directory that names the current <see cref="PodPaths.WorkRoot"/>.</summary>
    private const string WorkRootRecord = "work-root";

    private ProcessLauncher? _launcher;
    private string? _workRoot;
    private readonly bool _ownsLauncher;
    private volatile bool _stopping;
    private bool _disposed;

    public PodManager(IApiClient client, NodeAgentOptions options, string podCidr, ILoggerFactory loggers)
        : this(client, options, podCidr, loggers, new PodRuntimeOptions())
    {
    }

    /// <param name="client">The API client.</param>
    /// <param name="options">The agent's options.</param>
    /// <param name="podCidr">The node's pod CIDR.</param>
    /// <param name="loggers">Loggers.</param>
    /// <param name="runtimeOptions">Back-offs, log rotation and other tunables.</param>
    /// <param name="launcher">
    /// The agent's process launcher (one reaper per agent, shared with exec); when null the manager starts and owns one.
    /// </param>
    public PodManager(IApiClient client, NodeAgentOptions options, string podCidr, ILoggerFactory loggers, PodRuntimeOptions runtimeOptions, ProcessLauncher? launcher = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(podCidr);
        ArgumentNullException.ThrowIfNull(loggers);
        ArgumentNullException.ThrowIfNull(runtimeOptions);
        ArgumentException.ThrowIfNullOrEmpty(options.NodeName);
        ArgumentException.ThrowIfNullOrEmpty(options.DataDir);
        runtimeOptions.Validate();
        _client = client;
        _node = options;
        _options = runtimeOptions;
        _podCidr = podCidr;
        _loggers = loggers;
        _launcher = launcher;
        _ownsLauncher = launcher is null;
        _logger = loggers.CreateLogger("Berth.Node.Pods.PodManager");
    }

    /// <summary>
    /// Starts the process launcher and the informers, waits until pods and services are listed, takes back the IPs of
    /// this node's pods, removes directories of pods that no longer exist, then starts a worker per pod.
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_runtime is not null)
        {
            throw new InvalidOperationException("the pod manager has started already");
        }

        var time = _node.TimeProvider;
        var users = PodUsers.ForThisAgent(_node);
        var imageMap = _node.ImageMapFile is { Length: > 0 } mapFile ? ImageMap.Load(mapFile) : null;
        var ipam = new PodIpam(_podCidr, _options.IPQuarantine, time);
        _launcher ??= ProcessLauncher.Start(_loggers.CreateLogger("Berth.Node.Runtime.ProcessLauncher"), _node.PodSandbox);
        _pods = new Informer<V1Pod>(_client, new InformerOptions { FieldSelector = "spec.nodeName=" + _node.NodeName, TimeProvider = time }, _loggers.CreateLogger("Berth.Node.Pods.PodInformer"));
        _services = new Informer<V1Service>(_client, new InformerOptions { TimeProvider = time }, _loggers.CreateLogger("Berth.Node.Pods.ServiceInformer"));
        _informerLoops.Add(Task.Run(() => _pods.RunAsync(_stop.Token), CancellationToken.None));
        _informerLoops.Add(Task.Run(() => _services.RunAsync(_stop.Token), CancellationToken.None));

        // The kubelet waits for one service list before it builds any environment (kubelet_pods.go).
        await Task.WhenAll(_pods.WaitForSyncAsync(cancellationToken), _services.WaitForSyncAsync(cancellationToken)).ConfigureAwait(false);

        PrivateFiles.CreateDirectory(_node.DataDir);
        var paths = new PodPaths(_node.DataDir, users.SwitchUser ? CreateWorkRoot() : null);
        Directory.CreateDirectory(paths.Root);
        var berthCommand = _node.BerthCommand;
        if (users.SwitchUser)
        {
            Log.PodUser(_logger, users.PodUser.ToString(), paths.WorkRoot!);
            berthCommand = ReachableBerthCommand(paths.WorkRoot!);
        }

        var status = new PodStatusWriter(_client, _pods.Lister, time, _loggers.CreateLogger("Berth.Node.Pods.PodStatusWriter"));
        _runtime = new PodRuntime
        {
            Client = _client,
            Node = _node,
            Options = _options,
            Launcher = _launcher,
            Ipam = ipam,
            Images = new ImageResolver(berthCommand, imageMap),
            Prober = new Prober(_launcher, time),
            Events = new PodEventRecorder(_client, _node.NodeName, time, _loggers.CreateLogger("Berth.Node.Pods.PodEventRecorder")),
            Status = status,
            Services = _services.Lister,
            Paths = paths,
            Users = users,
            Resolver = new PodResolverFiles(_node, _services.Lister),
            Volumes = new VolumeRuntime
            {
                Client = _client,
                Tokens = new TokenRequests(_client, time),
                Capacity = NodeCapacity.Read(_node.DataDir),
                Time = time,
                RefreshInterval = _options.VolumeRefreshInterval,
                Privileged = Environment.IsPrivilegedProcess,
                Mount = _launcher.Sandboxing.Tools.Mount,
                Umount = ProcessLauncher.ResolveExecutable("umount", Environment.GetEnvironmentVariable("PATH"), "/"),
            },
            Loggers = _loggers,
        };
        ReportSandboxing(_launcher.Sandboxing, _runtime.Events);

        Relearn(_pods.Lister.List(), ipam, paths);
        status.Start();

        // Added after sync: the handler first receives every cached pod as an add.
        _pods.AddHandler(new InformerHandler<V1Pod>
        {
            Added = (pod, _) => OnPod(pod),
            Updated = (_, pod) => OnPod(pod),
            Deleted = OnPodDeleted,
        });
        Log.Started(_logger, _node.NodeName, _podCidr, _pods.Lister.List().Count);
    }

    /// <summary>
    /// Says once how pods get their own resolver files and host name here, and checks the node's resolv.conf against
    /// the resolver's limits as the kubelet does at start (<c>CheckLimitsForResolvConf</c>: a Warning event about the node).
    /// </summary>
    private void ReportSandboxing(SandboxSupport sandboxing, PodEventRecorder events)
    {
        if (sandboxing.Mode == SandboxMode.None)
        {
            Log.NoPodSandbox(_logger, sandboxing.Limitation ?? string.Empty);
        }
        else
        {
            Log.PodSandbox(_logger, sandboxing.Mode, sandboxing.Limitation ?? "none");
        }

        if (_node.ResolvConf.Length > 0 && PodResolverFiles.CheckNodeResolvConf(_node.ResolvConf, _node.ClusterDomain) is { } problem)
        {
            Log.NodeResolvConfProblem(_logger, problem);
            events.RecordNode(PodEventRecorder.Warning, "CheckLimitsForResolvConf", problem);
        }
    }

    /// <summary>
    /// A fresh directory for the working directories of containers that run as other users (mkdtemp under TMPDIR or
    /// /tmp: a name no other user can have taken first), root's, which others may pass but not list. One per agent run:
    /// a container restarted by a restarted agent starts with an empty directory, as a restarted container starts
    /// with a fresh writable layer in Kubernetes. <see cref="DisposeAsync"/> removes it; the path is also kept in the
    /// data directory, so that the next start removes the one an agent killed with SIGKILL left.
    /// </summary>
    private string CreateWorkRoot()
    {
        var record = Path.Combine(_node.DataDir, WorkRootRecord);
        if (File.Exists(record) && File.ReadAllText(record) is { Length: > 0 } previous)
        {
            RemoveWorkRoot(previous);
        }

        var root = Directory.CreateTempSubdirectory("berth-pods-").FullName;
        _workRoot = root;
        File.SetUnixFileMode(root, PodPaths.Traversable);
        PrivateFiles.WriteAllText(record, root);
        return root;
    }

    /// <summary>
    /// The berth command the built-in images run, reachable by the pods' users (<see cref="OtherUsers.ReachableCommand"/>);
    /// warns when the pods' users still cannot pass to their working directories or reach the command.
    /// </summary>
    private IReadOnlyList<string> ReachableBerthCommand(string workRoot)
    {
        if (OtherUsers.FirstClosed(workRoot) is { } closed)
        {
            Log.WorkRootUnreachable(_logger, workRoot, closed);
        }

        var (command, mirrored) = OtherUsers.ReachableCommand(_node.BerthCommand, workRoot);
        foreach (var (path, mirror) in mirrored)
        {
            Log.BerthCommandMirrored(_logger, path, mirror);
        }

        foreach (var path in command.Where(Path.IsPathFullyQualified))
        {
            if (OtherUsers.FirstClosed(path) is { } blocker)
            {
                Log.BerthCommandUnreachable(_logger, string.Join(' ', command), blocker);
            }
        }

        return command;
    }

    /// <summary>Removes a working-directory root of this agent (a directory, not a link to one).</summary>
    private void RemoveWorkRoot(string root)
    {
        try
        {
            if (Directory.Exists(root) && new DirectoryInfo(root).LinkTarget is null)
            {
                Directory.Delete(root, recursive: true);
            }

            File.Delete(Path.Combine(_node.DataDir, WorkRootRecord));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Log.OrphanCleanupFailed(_logger, root, e.Message);
        }
    }

    /// <summary>Takes back the IPs of this node's live pods and removes the directories of pods that are gone.</summary>
    private void Relearn(IReadOnlyList<V1Pod> pods, PodIpam ipam, PodPaths paths)
    {
        var uids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var pod in pods)
        {
            uids.Add(pod.Metadata.Uid);
            if (pod.Status?.Phase is "Succeeded" or "Failed" || !IPAddress.TryParse(pod.Status?.PodIP, out var ip))
            {
                continue;
            }

            if (!ipam.Reserve(ip, pod.Metadata.Uid))
            {
                Log.IPNotRelearned(_logger, ObjectKeys.Of(pod), pod.Status!.PodIP!, _podCidr);
            }
        }

        foreach (var dir in Directory.EnumerateDirectories(paths.Root))
        {
            if (!uids.Contains(Path.GetFileName(dir)))
            {
                try
                {
                    Directory.Delete(dir, recursive: true);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    Log.OrphanCleanupFailed(_logger, dir, e.Message);
                }
            }
        }
    }

    private void OnPod(V1Pod pod)
    {
        if (_stopping || pod.Metadata?.Uid is not { Length: > 0 } uid)
        {
            return;
        }

        var worker = _workers.GetOrAdd(uid, _ =>
        {
            var created = new PodWorker(pod, _runtime!, OnWorkerEnded);
            created.Start();
            return created;
        });
        _byName[ObjectKeys.Of(pod)] = worker;
        worker.Update(pod);
        _runtime!.Status.Observe(pod);
    }

    private void OnPodDeleted(V1Pod pod)
    {
        if (pod.Metadata?.Uid is { Length: > 0 } uid && _workers.TryGetValue(uid, out var worker))
        {
            worker.MarkGone();
        }
    }

    private void OnWorkerEnded(PodWorker worker)
    {
        _workers.TryRemove(new KeyValuePair<string, PodWorker>(worker.Uid, worker));
        _byName.TryRemove(new KeyValuePair<string, PodWorker>(ObjectKeys.Of(worker.Namespace, worker.Name), worker));
    }

    /// <inheritdoc />
    public RunningPod? FindPod(string ns, string name) =>
        _byName.TryGetValue(ObjectKeys.Of(ns, name), out var worker) ? worker.Snapshot : null;

    /// <inheritdoc />
    public IReadOnlyList<RunningPod> ListPods() => [.. _byName.Values.Select(w => w.Snapshot).OfType<RunningPod>()];

    /// <summary>
    /// Stops the agent's side of every pod: SIGTERM, then SIGKILL after <see cref="PodRuntimeOptions.AgentStopGracePeriod"/>.
    /// The pod objects stay (they become not ready through the node lifecycle controller); then the launcher's reaper
    /// ends whatever is left.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _stopping = true;
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(_informerLoops).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        await Task.WhenAll(_workers.Values.Select(w => w.ShutdownAsync(_options.AgentStopGracePeriod))).ConfigureAwait(false);
        if (_runtime is not null)
        {
            await _runtime.Status.DisposeAsync().ConfigureAwait(false);
            await _runtime.Events.DisposeAsync().ConfigureAwait(false);
            _runtime.Prober.Dispose();
        }

        if (_workRoot is not null)
        {
            RemoveWorkRoot(_workRoot);
        }

        if (_ownsLauncher && _launcher is not null)
        {
            await _launcher.DisposeAsync().ConfigureAwait(false);
        }

        _stop.Dispose();
    }
}
