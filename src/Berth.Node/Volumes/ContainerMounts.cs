using System.Text;
using Berth.Node.Pods;
using Berth.Node.Runtime;
using k8s.Models;

namespace Berth.Node.Volumes;

/// <summary>
/// The bind mounts of one container's <c>volumeMounts</c>: mount-table lines (source → mountPath, <c>ro</c> for
/// readOnly and for the API-backed volumes), parents before children, and the mounts that cannot be made with why.
/// </summary>
/// <remarks>
/// <para><b>Mount points.</b> A bind mount needs its target to exist, and a pod has no root file system of its own. The
/// rule: a mountPath that exists on the node (as a directory for a directory, a file for a file) is mounted over — for
/// the pod's processes only, the host keeps its content. A missing one is created only where that touches nothing of
/// the host's: inside a volume of the pod mounted at a parent path (<c>/data/logs</c> in an emptyDir at <c>/data</c>)
/// or below <see cref="NodeAgentOptions.MountPointRoots"/> (<c>/var/run/secrets</c>). Anywhere else the container
/// starts without that mount and the pod gets a Warning.</para>
/// <para><b>subPath</b> (and <c>subPathExpr</c>, expanded with the container's environment) mounts a path inside the
/// volume, created as a directory when missing in a volume the pod owns (emptyDir, hostPath); like Kubernetes, a
/// configMap key mounted by subPath does not see updates (the bind pins the file of that moment).</para>
/// </remarks>
internal static class ContainerMounts
{
    /// <returns>The mount-table lines, and one message per volumeMount that is not mounted.</returns>
    public static (string Lines, IReadOnlyList<string> Problems) Plan(V1Container container, VolumeSetUp volumes, Func<string, string> environment, IReadOnlyList<string> mountPointRoots)
    {
        var problems = new List<string>();
        var planned = new List<(string Volume, string Source, string Target, bool ReadOnly, bool Owned)>();
        foreach (var mount in container.VolumeMounts ?? [])
        {
            var where = $"volume \"{mount.Name}\" is not mounted at {mount.MountPath} in container {container.Name}: ";
            if (!volumes.Volumes.TryGetValue(mount.Name, out var host))
            {
                if (volumes.Unsupported.Any(p => p.Volume == mount.Name))
                {
                    continue; // the pod's Warning names it already
                }

                var reason = volumes.Unsupported.Concat(volumes.Failed).FirstOrDefault(p => p.Volume == mount.Name)?.Message ?? "the pod has no such volume";
                problems.Add(where + reason);
                continue;
            }

            if (!Path.IsPathRooted(mount.MountPath))
            {
                problems.Add(where + "the mountPath is not absolute");
                continue;
            }

            var source = host.Path;
            var subPath = mount.SubPathExpr is { Length: > 0 } expression ? VariableExpansion.Expand(expression, environment) : mount.SubPath;
            if (subPath is { Length: > 0 })
            {
                if (Path.IsPathRooted(subPath) || subPath.Split('/').Contains(".."))
                {
                    problems.Add(where + $"subPath {subPath} must be a relative path without '..'");
                    continue;
                }

                source = Path.Combine(host.Path, subPath);
                if (!Path.Exists(source))
                {
                    if (host.ReadOnly)
                    {
                        problems.Add(where + $"subPath {subPath} does not exist in the volume");
                        continue;
                    }

                    // As the kubelet's makeMounts: with the volume's own mode (an emptyDir's 0777), so every
                    // container of the pod may write there whatever its user.
                    var mode = File.GetUnixFileMode(host.Path);
                    Directory.CreateDirectory(source, mode);
                    File.SetUnixFileMode(source, mode);
                }
                else if (Escapes(host.Path, source))
                {
                    problems.Add(where + $"subPath {subPath} leads outside the volume");
                    continue;
                }
            }

            planned.Add((mount.Name, source, Path.TrimEndingDirectorySeparator(mount.MountPath), mount.ReadOnlyProperty == true || host.ReadOnly, host.Owned && subPath is not { Length: > 0 }));
        }

        // Parents first, as container runtimes sort mounts (a child is mounted inside its parent's volume).
        planned = [.. planned.OrderBy(p => p.Target.Count(c => c == '/'))];
        var lines = new StringBuilder();
        for (var i = 0; i < planned.Count; i++)
        {
            var (volume, source, target, readOnly, _) = planned[i];
            var isDirectory = Directory.Exists(source);

            // Where the target is before this mount: inside an earlier mount of the pod (its source), else on the host.
            var parent = planned.Take(i).Where(p => IsBelow(target, p.Target)).OrderByDescending(p => p.Target.Length).FirstOrDefault();
            var hostTarget = parent.Source is null ? target : Path.Combine(parent.Source, Path.GetRelativePath(parent.Target, target));
            var mayCreate = parent.Source is null ? mountPointRoots.Any(root => IsBelow(target, Path.TrimEndingDirectorySeparator(root))) : parent.Owned && !parent.ReadOnly;
            if (EnsureTarget(hostTarget, isDirectory, mayCreate) is { } problem)
            {
                problems.Add($"volume \"{volume}\" is not mounted at {target} in container {container.Name}: {problem}");
                continue;
            }

            lines.Append(MountTable.Line(source, target, readOnly));
        }

        return (lines.ToString(), problems);
    }

    private static bool IsBelow(string path, string parent) =>
        path.Length > parent.Length && path.StartsWith(parent, StringComparison.Ordinal) && (parent == "/" || path[parent.Length] == '/');

    private static bool Escapes(string volume, string source)
    {
        var real = Path.GetFullPath(File.ResolveLinkTarget(source, returnFinalTarget: true)?.FullName ?? source);
        var root = Path.GetFullPath(File.ResolveLinkTarget(volume, returnFinalTarget: true)?.FullName ?? volume);
        return real != root && !IsBelow(real, root);
    }

    /// <returns>Null when the mount point is there (or was made), else why not.</returns>
    private static string? EnsureTarget(string target, bool isDirectory, bool mayCreate)
    {
        if (isDirectory ? Directory.Exists(target) : File.Exists(target))
        {
            return null;
        }

        if (Path.Exists(target))
        {
            return isDirectory ? $"{target} is not a directory" : $"{target} is not a file";
        }

        if (!mayCreate)
        {
            return $"{target} does not exist on this node (Berth creates mount points only inside the pod's own volumes and below the node's mount point roots)";
        }

        try
        {
            if (isDirectory)
            {
                Directory.CreateDirectory(target, AtomicWriter.DirectoryMode);
            }
            else
            {
                Directory.CreateDirectory(Path.GetDirectoryName(target)!, AtomicWriter.DirectoryMode);
                File.WriteAllBytes(target, []);
            }

            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"cannot create the mount point {target}: {e.Message}";
        }
    }
}
