using Berth.Node.Volumes;
using k8s.Models;

namespace Berth.Node.Tests.Volumes;

/// <summary>The mount-point rule and subPath checks, on real directories of a temporary tree.</summary>
public sealed class ContainerMountsTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("berth-mounts-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string Dir(string name)
    {
        var dir = Path.Combine(_root, name);
        Directory.CreateDirectory(dir);
        return dir;
    }

    private static string Identity(string name) => name;

    private static VolumeSetUp SetUp(params (string Name, VolumeHost Host)[] volumes) =>
        new(volumes.ToDictionary(v => v.Name, v => v.Host), [], [new VolumeProblem("pvc", "not supported")]);

    private static V1Container Container(params V1VolumeMount[] mounts) => new() { Name = "main", VolumeMounts = mounts };

    [Fact]
    public void Plan_ExistingTarget_IsMountedOver_ParentsFirst_ReadOnlyForApiVolumes()
    {
        var target = Dir("etc-app");
        var config = Dir("config-volume");
        var data = Dir("data-volume");
        var volumes = SetUp(("config", new VolumeHost(config, true, false)), ("data", new VolumeHost(data, false, true)));

        var (lines, problems) = ContainerMounts.Plan(Container(new V1VolumeMount { Name = "config", MountPath = target + "/conf.d" }, new V1VolumeMount { Name = "data", MountPath = target }), volumes, Identity, []);

        Assert.Empty(problems);
        Assert.Equal($"{data} {target} none bind 0 0\n{config} {target}/conf.d none bind,ro 0 0\n", lines);
        Assert.True(Directory.Exists(Path.Combine(data, "conf.d")), "the child's mount point is made inside the parent's volume");
        Assert.False(Directory.Exists(Path.Combine(target, "conf.d")), "not on the host");
    }

    [Fact]
    public void Plan_MissingTarget_IsCreatedOnlyBelowAMountPointRoot()
    {
        var volume = Dir("v");
        var roots = Path.Combine(_root, "roots");
        var volumes = SetUp(("v", new VolumeHost(volume, true, false)));

        var (lines, problems) = ContainerMounts.Plan(
            Container(new V1VolumeMount { Name = "v", MountPath = roots + "/a/b" }, new V1VolumeMount { Name = "v", MountPath = _root + "/elsewhere" }),
            volumes,
            Identity,
            [roots]);

        Assert.Equal($"{volume} {roots}/a/b none bind,ro 0 0\n", lines);
        Assert.True(Directory.Exists(roots + "/a/b"));
        Assert.Equal(
            [$"volume \"v\" is not mounted at {_root}/elsewhere in container main: {_root}/elsewhere does not exist on this node (Berth creates mount points only inside the pod's own volumes and below the node's mount point roots)"],
            problems);
        Assert.False(Directory.Exists(_root + "/elsewhere"));
    }

    [Fact]
    public void Plan_SubPath_FileOverFile_EscapeAndTypeMismatchRefused_UnsupportedSilent()
    {
        var volume = Dir("cm");
        File.WriteAllText(Path.Combine(volume, "key"), "v");
        File.CreateSymbolicLink(Path.Combine(volume, "out"), "/etc");
        var file = Path.Combine(_root, "app.conf");
        File.WriteAllText(file, "host");
        var dir = Dir("a-dir");
        var volumes = SetUp(("cm", new VolumeHost(volume, true, false)));

        var (lines, problems) = ContainerMounts.Plan(
            Container(
                new V1VolumeMount { Name = "cm", MountPath = file, SubPath = "key" },
                new V1VolumeMount { Name = "cm", MountPath = dir, SubPath = "key" },
                new V1VolumeMount { Name = "cm", MountPath = dir, SubPath = "out" },
                new V1VolumeMount { Name = "cm", MountPath = dir, SubPath = "../x" },
                new V1VolumeMount { Name = "pvc", MountPath = dir }),
            volumes,
            Identity,
            []);

        Assert.Equal($"{volume}/key {file} none bind,ro 0 0\n", lines);
        Assert.Equal(
            [
                $"volume \"cm\" is not mounted at {dir} in container main: subPath out leads outside the volume",
                $"volume \"cm\" is not mounted at {dir} in container main: subPath ../x must be a relative path without '..'",
                $"volume \"cm\" is not mounted at {dir} in container main: {dir} is not a file",
            ],
            problems);
    }
}
