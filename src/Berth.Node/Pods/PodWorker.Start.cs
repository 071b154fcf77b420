using System.Globalization;
using Berth.Node.Probes;
using Berth.Node.Resolver;
using Berth.Node.Runtime;
using k8s.Models;

namespace Berth.Node.Pods;

internal sealed partial class PodWorker
{
    /// <summary>
    /// Starts a run of <paramref name="record"/> as kuberuntime's startContainer: the CrashLoopBackOff check
    /// (doBackOff), the image (ErrImagePull / ImagePullBackOff), the environment (CreateContainerConfigError), then the
    /// process (StartError with exit code 128 when it cannot be executed). Each outcome shows in the container's state.
    /// </summary>
    private async Task StartContainerAsync(ContainerRecord record, CancellationToken cancellationToken)
    {
        var now = Now;
        if (now < record.NextAttempt)
        {
            WakeAt(record.NextAttempt);
            return;
        }

        var path = PodEventRecorder.ContainerPath(record.Name, record.IsInit);
        var spec = record.Spec;
        var key = record.Name;

        if (record.Terminated is { } last)
        {
            var finished = last.FinishedAt is { } f ? new DateTimeOffset(DateTime.SpecifyKind(f, DateTimeKind.Utc)) : now;
            if (_crashBackOff.InBackOffSince(key, finished, now) is { } until)
            {
                var delay = _crashBackOff.Get(key);
                record.Waiting = new V1ContainerStateWaiting
                {
                    Reason = "CrashLoopBackOff",
                    Message = $"back-off {GoDuration(delay)} restarting failed container={record.Name} pod={PodDescription}",
                };
                _runtime.Events.Record(_pod, path, PodEventRecorder.Warning, "BackOff", $"Back-off restarting failed container {record.Name} in pod {PodDescription}");
                record.NextAttempt = until;
                WakeAt(until);
                return;
            }

            _crashBackOff.Next(key, finished);
        }

        // The image, as EnsureImageExists: images Berth cannot run fail like a failed pull, with a back-off.
        var image = spec.Image ?? string.Empty;
        var probe = _runtime.Images.Resolve(image, [.. spec.Command ?? []], [.. spec.Args ?? []]);
        if (probe.Error is { } pullError)
        {
            var imageKey = image;
            if (_imageBackOff.InBackOffSinceUpdate(imageKey, now) is { } until)
            {
                var message = $"Back-off pulling image \"{image}\"";
                _runtime.Events.Record(_pod, path, PodEventRecorder.Normal, "BackOff", message);
                _runtime.Events.Record(_pod, path, PodEventRecorder.Warning, "Failed", "Error: ImagePullBackOff");
                record.Waiting = new V1ContainerStateWaiting { Reason = "ImagePullBackOff", Message = message + ": " + _lastPullError.GetValueOrDefault(imageKey, pullError) };
                record.NextAttempt = until;
                WakeAt(until);
                return;
            }

            _runtime.Events.Record(_pod, path, PodEventRecorder.Normal, "Pulling", $"Pulling image \"{image}\"");
            _runtime.Events.Record(_pod, path, PodEventRecorder.Warning, "Failed", $"Failed to pull image \"{image}\": {pullError}");
            _runtime.Events.Record(_pod, path, PodEventRecorder.Warning, "Failed", "Error: ErrImagePull");
            _imageBackOff.Next(imageKey, now);
            _lastPullError[imageKey] = pullError;
            record.Waiting = new V1ContainerStateWaiting { Reason = "ErrImagePull", Message = pullError };

            // Show ErrImagePull for a while, then ImagePullBackOff until the back-off ends (the kubelet's resyncs do the same).
            record.NextAttempt = now + (_imageBackOff.Get(imageKey) / 2);
            WakeAt(record.NextAttempt);
            return;
        }

        _runtime.Events.Record(_pod, path, PodEventRecorder.Normal, "Pulled", $"Container image \"{image}\" already present on machine");

        // As the kubelet's GenerateRunContainerOptions: names, environment, then the hosts (and resolv.conf) mounts.
        var (names, namesError) = PodNames.Of(_pod, _runtime.Node.ClusterDomain);
        if (namesError is not null)
        {
            ConfigError(record, path, namesError, now);
            return;
        }

        var environment = await ContainerEnvironment.BuildAsync(
            new EnvironmentInput(_pod, spec, _podIp, _runtime.HostIP, KernelHostname(names!), ServiceEnvironment.For(Namespace, _pod.Spec?.EnableServiceLinks ?? true, _runtime.Services.List())) { Capacity = _runtime.Volumes.Capacity },
            ReadConfigMapAsync,
            ReadSecretAsync,
            cancellationToken).ConfigureAwait(false);
        if (environment.Error is { } configError)
        {
            ConfigError(record, path, configError, now);
            return;
        }

        var (sandbox, sandboxError) = PrepareSandbox(names!);
        if (sandboxError is not null)
        {
            ConfigError(record, path, sandboxError, now);
            return;
        }

        var (user, userError) = _runtime.Users.For(_pod, spec);
        if (userError is not null)
        {
            ConfigError(record, path, userError, now);
            return;
        }

        var variables = environment.Variables!;
        var lookup = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in variables)
        {
            lookup[name] = value;
        }

        var mapping = VariableExpansion.MappingFor(lookup);
        sandbox = ContainerSandbox(record, sandbox!, mapping);
        var command = (spec.Command ?? []).Select(c => VariableExpansion.Expand(c, mapping)).ToList();
        var args = (spec.Args ?? []).Select(a => VariableExpansion.Expand(a, mapping)).ToList();
        var resolved = _runtime.Images.Resolve(image, command, args);
        var workingDirectory = !string.IsNullOrEmpty(spec.WorkingDir) ? spec.WorkingDir
            : user is null ? _runtime.Paths.Pod(Uid)
            : PodWorkingDirectory();

        var index = record.Runs;
        record.Runs++;
        record.ImageId = resolved.ImageId;
        record.Environment = variables;
        record.WorkingDirectory = workingDirectory;
        record.User = user;
        record.Sandbox = sandbox;
        record.Waiting = null;
        Directory.CreateDirectory(_runtime.Paths.Container(Uid, record.Name));
        RemoveOldLogs(record.Name, index);

        LaunchedProcess process;
        try
        {
            process = _runtime.Launcher.Launch(new ProcessSpec
            {
                FileName = resolved.Command![0],
                Arguments = [.. resolved.Command.Skip(1)],
                Environment = variables,
                WorkingDirectory = workingDirectory,
                Sandbox = sandbox,
                User = user,
            });
        }
        catch (ProcessStartException e)
        {
            var message = "failed to start container process: " + e.Message;
            record.ContainerId = null;
            record.Finish(new V1ContainerStateTerminated
            {
                ExitCode = 128,
                Reason = "StartError",
                Message = message,
                StartedAt = DateTime.UnixEpoch,
                FinishedAt = PodStatusWriter.Seconds(now),
            });
            _runtime.Events.Record(_pod, path, PodEventRecorder.Warning, "Failed", "Error: " + message);
            _wake.Set(); // the restart policy decides what happens next
            return;
        }

        var log = new ContainerLogWriter(_runtime.Paths.Log(Uid, record.Name, index), _runtime.Options.ContainerLogMaxBytes, _runtime.Options.ContainerLogMaxFiles, _runtime.Time);
        var instance = new ContainerInstance(process, index, Now, log, new ProbeTarget(_podIp!, spec, variables, workingDirectory, sandbox, user));
        record.Instance = instance;
        record.ContainerId = instance.ContainerId;
        _runtime.Events.Record(_pod, path, PodEventRecorder.Normal, "Created", "Created container: " + record.Name);
        _runtime.Events.Record(_pod, path, PodEventRecorder.Normal, "Started", "Started container " + record.Name);
        Log.ContainerStarted(_logger, Namespace, Name, record.Name, process.Pid);
        StartProbes(record, instance);
        _ = WatchExitAsync(instance);
    }

    /// <summary>
    /// The default working directory of containers that run as another user than the agent: the pod's directory
    /// under <see cref="PodPaths.WorkRoot"/>, shared by its containers as the pod directory is otherwise. The pod
    /// directory in the data directory is not reachable for them, and must not be writable by them: the agent writes
    /// logs and the mount table there.
    /// </summary>
    private string PodWorkingDirectory()
    {
        var dir = _runtime.Paths.WorkPod(Uid);
        var owner = _runtime.Users.OwnerOfWorkingDirectory(_pod);
        Directory.CreateDirectory(dir);
        Posix.ChangeOwner(dir, owner.Uid, owner.Gid);
        File.SetUnixFileMode(dir, PodPaths.SharedWithGroup);
        return dir;
    }

    /// <summary>The container cannot be configured (kuberuntime: CreateContainerConfigError); it is tried again later.</summary>
    private void ConfigError(ContainerRecord record, string path, string message, DateTimeOffset now)
    {
        record.Waiting = new V1ContainerStateWaiting { Reason = "CreateContainerConfigError", Message = message };
        _runtime.Events.Record(_pod, path, PodEventRecorder.Warning, "Failed", "Error: " + message);
        record.NextAttempt = now + _runtime.Options.RetryInterval;
        WakeAt(record.NextAttempt);
    }

    private async Task WatchExitAsync(ContainerInstance instance)
    {
        await instance.Process.Exited.ConfigureAwait(false);
        instance.FinishedAt = Now;
        _wake.Set();
    }

    private Task<V1ConfigMap?> ReadConfigMapAsync(string ns, string name, CancellationToken cancellationToken) =>
        _runtime.Client.GetAsync<V1ConfigMap>(ns, name, cancellationToken);

    private Task<V1Secret?> ReadSecretAsync(string ns, string name, CancellationToken cancellationToken) =>
        _runtime.Client.GetAsync<V1Secret>(ns, name, cancellationToken);

    private void StartProbes(ContainerRecord record, ContainerInstance instance)
    {
        var spec = record.Spec;
        if (record.IsInit)
        {
            return; // init containers are not probed (only restartable sidecars are, which Berth does not run)
        }

        if (spec.StartupProbe is { } startup)
        {
            instance.Startup = NewProbeWorker(ProbeKind.Startup, startup, record, instance);
        }

        if (spec.LivenessProbe is { } liveness)
        {
            instance.Liveness = NewProbeWorker(ProbeKind.Liveness, liveness, record, instance);
        }

        if (spec.ReadinessProbe is { } readiness)
        {
            instance.Readiness = NewProbeWorker(ProbeKind.Readiness, readiness, record, instance);
        }

        foreach (var worker in new[] { instance.Startup, instance.Liveness, instance.Readiness })
        {
            if (worker is not null)
            {
                _ = worker.RunAsync(instance.Lifetime);
            }
        }
    }

    private ProbeWorker NewProbeWorker(ProbeKind kind, V1Probe probe, ContainerRecord record, ContainerInstance instance) =>
        new(
            kind,
            probe,
            _runtime.Prober,
            () => instance.Target,
            kind == ProbeKind.Startup ? () => true : () => instance.Started,
            (worker, observation) => OnProbe(record, instance, worker, observation),
            instance.StartedAt,
            _runtime.Time);

    /// <summary>Called on a probe worker's loop: records events, flags a failed liveness/startup probe, wakes the worker.</summary>
    private void OnProbe(ContainerRecord record, ContainerInstance instance, ProbeWorker worker, ProbeObservation observation)
    {
        var pod = Volatile.Read(ref _latest);
        var path = PodEventRecorder.ContainerPath(record.Name, record.IsInit);
        if (observation.Attempt == ProbeResult.Failure && !instance.Process.Exited.IsCompleted)
        {
            _runtime.Events.Record(pod, path, PodEventRecorder.Warning, "Unhealthy", $"{worker.Kind} probe failed: {observation.Output}");
            if (observation.Changed && worker.Kind is ProbeKind.Liveness or ProbeKind.Startup)
            {
                instance.ProbeFailure = $"Container {record.Name} failed {worker.Kind.ToString().ToLowerInvariant()} probe, will be restarted";
            }
        }

        if (observation.Changed)
        {
            _wake.Set();
        }
    }

    /// <summary>The preStop hook of a container (exec, httpGet or sleep), or null.</summary>
    private Func<TimeSpan, Task>? PreStopFor(ContainerRecord record, ContainerInstance instance)
    {
        if (record.Spec.Lifecycle?.PreStop is not { } handler)
        {
            return null;
        }

        return async grace =>
        {
            (ProbeResult Result, string Output) outcome;
            if (handler.Exec is { } exec)
            {
                outcome = await _runtime.Prober.ExecAsync(exec.Command ?? [], instance.Target, grace, CancellationToken.None).ConfigureAwait(false);
            }
            else if (handler.HttpGet is { } http)
            {
                outcome = await _runtime.Prober.HttpGetAsync(http, instance.Target, grace, CancellationToken.None).ConfigureAwait(false);
            }
            else if (handler.Sleep is { } sleep)
            {
                await Task.Delay(TimeSpan.FromSeconds(sleep.Seconds), _runtime.Time).ConfigureAwait(false);
                return;
            }
            else
            {
                return;
            }

            if (outcome.Result != ProbeResult.Success)
            {
                var kind = handler.Exec is not null ? "Exec" : "HTTP";
                _runtime.Events.Record(Volatile.Read(ref _latest), PodEventRecorder.ContainerPath(record.Name, record.IsInit), PodEventRecorder.Warning, "FailedPreStopHook",
                    $"{kind} lifecycle hook ({Describe(handler)}) for Container \"{record.Name}\" in Pod \"{PodDescription}\" failed - error: {outcome.Output}");
            }
        };
    }

    private static string Describe(V1LifecycleHandler handler) =>
        handler.Exec is { } exec ? "[" + string.Join(' ', exec.Command ?? []) + "]" : handler.HttpGet?.Path ?? string.Empty;

    /// <summary>Keeps the logs of the run being started and the one before (kubectl logs --previous); older runs go.</summary>
    private void RemoveOldLogs(string container, int index)
    {
        var dir = _runtime.Paths.Container(Uid, container);
        foreach (var file in Directory.EnumerateFiles(dir, "*.log*"))
        {
            var name = Path.GetFileName(file);
            var dot = name.IndexOf('.', StringComparison.Ordinal);
            if (int.TryParse(name.AsSpan(0, dot), NumberStyles.None, CultureInfo.InvariantCulture, out var run) && run < index - 1)
            {
                try
                {
                    File.Delete(file);
                }
                catch (IOException)
                {
                }
            }
        }
    }

    /// <summary>Go's time.Duration String for whole seconds and minutes (10s, 1m20s, 5m0s).</summary>
    internal static string GoDuration(TimeSpan d)
    {
        if (d < TimeSpan.FromSeconds(1))
        {
            return ((int)d.TotalMilliseconds).ToString(CultureInfo.InvariantCulture) + "ms";
        }

        var seconds = d.TotalSeconds % 60;
        var secondsText = seconds.ToString("0.###", CultureInfo.InvariantCulture) + "s";
        return d.TotalMinutes >= 1 ? ((int)d.TotalMinutes).ToString(CultureInfo.InvariantCulture) + "m" + secondsText : secondsText;
    }
}
