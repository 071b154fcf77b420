using System.Diagnostics;
using System.Globalization;
using Berth.Client;
using Berth.Node.Runtime;
using k8s.Models;

namespace Berth.Node.Volumes;

/// <summary>
/// Sets up one pod's volumes on the host, as the kubelet's volume manager does before any container starts and on
/// every sync after: <c>&lt;pod dir&gt;/volumes/&lt;plugin&gt;/&lt;name&gt;</c> (the kubelet's layout, e.g.
/// <c>kubernetes.io~configmap</c>) for emptyDir, configMap, secret, downwardAPI and projected volumes — the API-backed
/// ones written by <see cref="AtomicWriter"/>, so an update reaches running containers all at once — and the host's
/// own path for hostPath. ConfigMaps and Secrets are read again at most every
/// <see cref="VolumeRuntime.RefreshInterval"/>; service-account tokens at 80 % of their lifetime. Used only by the
/// pod's worker loop.
/// </summary>
internal sealed class PodVolumes(VolumeRuntime runtime, string podDir)
{
    public const string VolumesDirName = "volumes";

    /// <summary>rwxrwxrwx: an emptyDir, which containers of any user write (the kubelet's 0777).</summary>
    private const UnixFileMode EveryoneWrites = (UnixFileMode)0x1FF;

    private readonly Dictionary<string, (object? Value, string? Error, DateTimeOffset ReadAt)> _objects = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string Token, DateTimeOffset RefreshAt)> _tokens = new(StringComparer.Ordinal);
    private readonly HashSet<string> _ready = new(StringComparer.Ordinal);
    private readonly List<string> _tmpfs = [];

    /// <summary>The earliest time an object or token must be read again (null: nothing to refresh).</summary>
    public DateTimeOffset? NextRefresh { get; private set; }

    /// <summary>Sets up (or refreshes) every volume of <paramref name="pod"/>.</summary>
    /// <param name="pod">The pod.</param>
    /// <param name="owner">
    /// Who owns the files of its configMap, secret, downwardAPI and projected volumes: for a root agent the pod's user
    /// (its <c>runAsUser</c>, else the node's pod user, which stands for the image's user) and group (<c>fsGroup</c>
    /// first), so that a 0600 key is readable as it is by a container running as its image's root; null: the agent.
    /// </param>
    /// <param name="cancellationToken">Cancels the API reads.</param>
    public async Task<VolumeSetUp> SetUpAsync(V1Pod pod, ProcessUser? owner, CancellationToken cancellationToken)
    {
        if (pod.Spec?.Volumes is not { Count: > 0 } volumes)
        {
            return VolumeSetUp.None;
        }

        NextRefresh = null;
        var mountable = new Dictionary<string, VolumeHost>(StringComparer.Ordinal);
        var failed = new List<VolumeProblem>();
        var unsupported = new List<VolumeProblem>();
        var ns = pod.Metadata.NamespaceProperty ?? "default";
        foreach (var volume in volumes)
        {
            var (host, error, notSupported) = await SetUpAsync(pod, ns, volume, owner, cancellationToken).ConfigureAwait(false);
            if (notSupported is not null)
            {
                unsupported.Add(new VolumeProblem(volume.Name, notSupported));
                continue;
            }

            if (error is not null)
            {
                failed.Add(new VolumeProblem(volume.Name, error));
                if (_ready.Contains(volume.Name))
                {
                    mountable[volume.Name] = Host(volume); // the kubelet keeps the last content
                }

                continue;
            }

            _ready.Add(volume.Name);
            mountable[volume.Name] = host!;
        }

        return new VolumeSetUp(mountable, failed, unsupported);
    }

    /// <summary>Unmounts the pod's memory-backed emptyDirs (before its directory is removed).</summary>
    public void TearDown()
    {
        foreach (var dir in _tmpfs)
        {
            RunMount(runtime.Umount, [dir]);
        }

        _tmpfs.Clear();
    }

    private string Dir(string plugin, string name) => Path.Combine(podDir, VolumesDirName, plugin, name);

    private VolumeHost Host(V1Volume volume) => volume switch
    {
        { ConfigMap: not null } => new VolumeHost(Dir("kubernetes.io~configmap", volume.Name), true, false),
        { Secret: not null } => new VolumeHost(Dir("kubernetes.io~secret", volume.Name), true, false),
        { DownwardAPI: not null } => new VolumeHost(Dir("kubernetes.io~downward-api", volume.Name), true, false),
        { Projected: not null } => new VolumeHost(Dir("kubernetes.io~projected", volume.Name), true, false),
        { HostPath: not null } => new VolumeHost(volume.HostPath.Path, false, false),
        _ => new VolumeHost(Dir("kubernetes.io~empty-dir", volume.Name), false, true),
    };

    private async Task<(VolumeHost? Host, string? Error, string? NotSupported)> SetUpAsync(V1Pod pod, string ns, V1Volume volume, ProcessUser? owner, CancellationToken cancellationToken)
    {
        var host = Host(volume);
        try
        {
            if (volume.EmptyDir is { } emptyDir)
            {
                return (host, EmptyDir(host.Path, emptyDir), null);
            }

            if (volume.HostPath is { } hostPath)
            {
                return (host, HostPath.Check(hostPath.Path, hostPath.Type ?? string.Empty), null);
            }

            PayloadResult payload;
            if (volume.ConfigMap is { } configMap)
            {
                var (map, readError) = await ReadAsync<V1ConfigMap>(ns, configMap.Name, cancellationToken).ConfigureAwait(false);
                payload = readError is not null ? PayloadResult.Fail(readError) : VolumePayloads.ConfigMap(configMap.Name, configMap.Items, configMap.DefaultMode, configMap.Optional == true, map);
            }
            else if (volume.Secret is { } secret)
            {
                var (value, readError) = await ReadAsync<V1Secret>(ns, secret.SecretName, cancellationToken).ConfigureAwait(false);
                payload = readError is not null ? PayloadResult.Fail(readError) : VolumePayloads.Secret(secret.SecretName, secret.Items, secret.DefaultMode, secret.Optional == true, value);
            }
            else if (volume.DownwardAPI is { } downward)
            {
                payload = VolumePayloads.DownwardApi(downward.Items, downward.DefaultMode, pod, runtime.Capacity);
            }
            else if (volume.Projected is { } projected)
            {
                payload = await ProjectedAsync(pod, ns, projected, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                var kind = VolumeSourceKind.Of(volume);
                return (null, null, $"{kind} volumes are not supported by Berth (only emptyDir, configMap, secret, downwardAPI, projected and hostPath are): the containers start without it");
            }

            if (payload.Error is { } error)
            {
                return (null, error, null);
            }

            var files = payload.Files!;
            if (pod.Spec?.SecurityContext?.FsGroup is not null)
            {
                // SetVolumeOwnership: the fsGroup may read every file (the kubelet adds g+r for these read-only volumes).
                files = files.ToDictionary(f => f.Key, f => f.Value with { Mode = f.Value.Mode | UnixFileMode.GroupRead }, StringComparer.Ordinal);
            }

            var (_, pathError) = AtomicWriter.Write(host.Path, files, runtime.Time.GetUtcNow(), owner);
            return (host, pathError, null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (null, e.Message, null);
        }
    }

    private async Task<PayloadResult> ProjectedAsync(V1Pod pod, string ns, V1ProjectedVolumeSource projected, CancellationToken cancellationToken)
    {
        var mode = projected.DefaultMode;
        var results = new List<PayloadResult>();
        foreach (var source in projected.Sources ?? [])
        {
            if (source.ConfigMap is { } configMap)
            {
                var (map, error) = await ReadAsync<V1ConfigMap>(ns, configMap.Name, cancellationToken).ConfigureAwait(false);
                results.Add(error is not null ? PayloadResult.Fail(error) : VolumePayloads.ConfigMap(configMap.Name, configMap.Items, mode, configMap.Optional == true, map));
            }
            else if (source.Secret is { } secret)
            {
                var (value, error) = await ReadAsync<V1Secret>(ns, secret.Name, cancellationToken).ConfigureAwait(false);
                results.Add(error is not null ? PayloadResult.Fail(error) : VolumePayloads.Secret(secret.Name, secret.Items, mode, secret.Optional == true, value));
            }
            else if (source.DownwardAPI is { } downward)
            {
                results.Add(VolumePayloads.DownwardApi(downward.Items, mode, pod, runtime.Capacity));
            }
            else if (source.ServiceAccountToken is { } token)
            {
                results.Add(await TokenAsync(pod, token, mode, cancellationToken).ConfigureAwait(false));
            }
            else
            {
                results.Add(PayloadResult.Fail("projected volume source not supported by Berth (clusterTrustBundle, podCertificate)"));
            }

            if (results[^1].Error is not null)
            {
                break;
            }
        }

        return VolumePayloads.Merge(results);
    }

    /// <summary>
    /// A service-account token for the pod (TokenRequest bound to it), kept until <see cref="TokenResult.RefreshAt"/>
    /// (80 % of its lifetime, as the kubelet's token manager).
    /// </summary>
    private async Task<PayloadResult> TokenAsync(V1Pod pod, V1ServiceAccountTokenProjection projection, int? mode, CancellationToken cancellationToken)
    {
        var account = pod.Spec?.ServiceAccountName is { Length: > 0 } name ? name : "default";
        var key = account + "|" + projection.Audience + "|" + (projection.ExpirationSeconds ?? 3600).ToString(CultureInfo.InvariantCulture);
        var now = runtime.Time.GetUtcNow();
        if (!_tokens.TryGetValue(key, out var cached) || now >= cached.RefreshAt)
        {
            var result = await runtime.Tokens.RequestAsync(pod, account, projection, cancellationToken).ConfigureAwait(false);
            if (result.Error is { } error)
            {
                return PayloadResult.Fail(error);
            }

            cached = (result.Token!, result.RefreshAt);
            _tokens[key] = cached;
        }

        Refresh(cached.RefreshAt);
        return PayloadResult.Ok(new Dictionary<string, FileProjection>(StringComparer.Ordinal)
        {
            [projection.Path] = new(System.Text.Encoding.UTF8.GetBytes(cached.Token), VolumePayloads.Mode(mode)),
        });
    }

    /// <summary>An object from the API, read again once <see cref="VolumeRuntime.RefreshInterval"/> has passed (a missing one every time); null when it does not exist.</summary>
    private async Task<(T? Value, string? Error)> ReadAsync<T>(string ns, string name, CancellationToken cancellationToken)
        where T : class, k8s.IKubernetesObject<V1ObjectMeta>
    {
        var key = typeof(T).Name + "/" + name;
        var now = runtime.Time.GetUtcNow();
        // An object that was missing (or unreadable) is read again at once: a pod waits for it (e.g. kube-root-ca.crt
        // published just after the pod's namespace was made).
        if (!_objects.TryGetValue(key, out var cached) || cached.Value is null || now >= cached.ReadAt + runtime.RefreshInterval)
        {
            try
            {
                cached = (await runtime.Client.GetAsync<T>(ns, name, cancellationToken).ConfigureAwait(false), null, now);
            }
            catch (ApiException e)
            {
                cached = (null, e.Message, now);
            }

            _objects[key] = cached;
        }

        Refresh(cached.ReadAt + runtime.RefreshInterval);
        return ((T?)cached.Value, cached.Error);
    }

    private void Refresh(DateTimeOffset at)
    {
        if (NextRefresh is null || at < NextRefresh)
        {
            NextRefresh = at;
        }
    }

    /// <summary>
    /// A directory for the pod, 0777 as the kubelet makes it; medium Memory is a tmpfs when the agent may mount one on
    /// the host (root), else a directory on disk.
    /// </summary>
    private string? EmptyDir(string dir, V1EmptyDirVolumeSource source)
    {
        Directory.CreateDirectory(dir);
        if (source.Medium != "Memory" || _tmpfs.Contains(dir))
        {
            File.SetUnixFileMode(dir, EveryoneWrites);
            return null;
        }

        if (!runtime.Privileged || runtime.Mount is null)
        {
            File.SetUnixFileMode(dir, EveryoneWrites); // on disk: an agent that is not root cannot mount a tmpfs the containers share
            return null;
        }

        var options = "mode=0777";
        if (source.SizeLimit?.ToDecimal() is { } size && size > 0)
        {
            options += ",size=" + ((long)size).ToString(CultureInfo.InvariantCulture);
        }

        if (!IsMountPoint(dir) && RunMount(runtime.Mount, ["-t", "tmpfs", "-o", options, "tmpfs", dir]) is { } error)
        {
            return "mount tmpfs: " + error;
        }

        _tmpfs.Add(dir);
        return null;
    }

    private static bool IsMountPoint(string dir)
    {
        var escaped = dir.Replace("\\", "\\134", StringComparison.Ordinal).Replace(" ", "\\040", StringComparison.Ordinal);
        return File.ReadLines("/proc/self/mountinfo").Any(line => line.Split(' ') is { Length: > 4 } fields && fields[4] == escaped);
    }

    /// <returns>Null when the tool succeeded, else its message.</returns>
    private static string? RunMount(string? tool, IEnumerable<string> arguments)
    {
        if (tool is null)
        {
            return "mount not found";
        }

        var start = new ProcessStartInfo(tool) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0 ? null : error.Trim();
    }
}
