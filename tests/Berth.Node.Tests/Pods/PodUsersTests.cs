using Berth.Node.Pods;
using Berth.Node.Runtime;
using k8s.Models;

namespace Berth.Node.Tests.Pods;

public sealed class PodUsersTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("berth-accounts-").FullName;
    private readonly HostAccounts _accounts;

    public PodUsersTests()
    {
        File.WriteAllText(Path.Combine(_dir, "passwd"), "root:x:0:0:root:/root:/bin/bash\n# comment\nweb:x:1000:1001::/home/web:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n");
        File.WriteAllText(Path.Combine(_dir, "group"), "root:x:0:\nstaff:x:50:\nweb:x:1001:\nnogroup:x:65534:\n");
        _accounts = HostAccounts.Load(Path.Combine(_dir, "passwd"), Path.Combine(_dir, "group"));
    }

    [Theory]
    [InlineData("nobody", 65534, 65534)]
    [InlineData("web", 1000, 1001)]
    [InlineData("web:staff", 1000, 50)]
    [InlineData("1000", 1000, 1001)]
    [InlineData("4242", 4242, 65534)]
    [InlineData("4242:77", 4242, 77)]
    [InlineData("root", 0, 0)]
    public void Resolve_NamesAndNumbers(string spec, long uid, long gid)
    {
        var (user, error) = _accounts.Resolve(spec);

        Assert.Null(error);
        Assert.Equal((uid, gid, gid), (user!.Uid, user.Gid, Assert.Single(user.Groups)));
    }

    [Fact]
    public void Resolve_UnknownNames_SayWhich()
    {
        Assert.Equal("user \"ghost\" is not in /etc/passwd (give a name listed there or a number)", _accounts.Resolve("ghost").Error);
        Assert.Equal("group \"ghosts\" is not in /etc/group (give a name listed there or a number)", _accounts.Resolve("web:ghosts").Error);
    }

    [Fact]
    public void Resolve_NobodyMissingFromTheFiles_IsTheOverflowId()
    {
        var empty = HostAccounts.Load(Path.Combine(_dir, "none"), Path.Combine(_dir, "none"));

        Assert.Equal(new ProcessUser(65534, 65534).ToString(), empty.Resolve("nobody").User!.ToString());
    }

    [Fact]
    public void RootAgent_WithoutSecurityContext_RunsThePodUser()
    {
        var (user, error) = Root().For(Pod(null), Container(null));

        Assert.Null(error);
        Assert.Equal("uid 65534, gid 65534, groups 65534", user!.ToString());
    }

    [Fact]
    public void RootAgent_ContainerContextWinsOverThePods_GroupsAddFsGroupAndSupplementalGroups()
    {
        var pod = Pod(new V1PodSecurityContext { RunAsUser = 1234, RunAsGroup = 2345, FsGroup = 4567, SupplementalGroups = [3456, 2345] });

        Assert.Equal("uid 1234, gid 2345, groups 2345,4567,3456", Root().For(pod, Container(null)).User!.ToString());
        Assert.Equal("uid 5678, gid 2345, groups 2345,4567,3456", Root().For(pod, Container(new V1SecurityContext { RunAsUser = 5678 })).User!.ToString());
        Assert.Equal("uid 1234, gid 9, groups 9,4567,3456,2345", Root().For(pod, Container(new V1SecurityContext { RunAsGroup = 9 })).User!.ToString());
    }

    [Fact]
    public void RootAgent_RunAsUserWithoutGroup_TakesItsPrimaryGroup_OrThePodUsersNeverRoots()
    {
        Assert.Equal("uid 1000, gid 1001, groups 1001", Root().For(Pod(new V1PodSecurityContext { RunAsUser = 1000 }), Container(null)).User!.ToString());
        Assert.Equal("uid 4242, gid 65534, groups 65534", Root().For(Pod(new V1PodSecurityContext { RunAsUser = 4242 }), Container(null)).User!.ToString());
        Assert.Equal("uid 0, gid 0, groups 0", Root().For(Pod(null), Container(new V1SecurityContext { RunAsUser = 0 })).User!.ToString());
    }

    [Fact]
    public void RunAsNonRoot_FailsAsTheKubeletSays()
    {
        var pod = Pod(new V1PodSecurityContext { RunAsNonRoot = true });
        var asRoot = new PodUsers(agentIsRoot: true, 0, 0, new ProcessUser(0, 0), _accounts);

        Assert.Equal("container's runAsUser breaks non-root policy (pod: \"web_ns(uid-1)\", container: main)", Root().For(pod, Container(new V1SecurityContext { RunAsUser = 0 })).Error);
        Assert.Equal("container has runAsNonRoot and image will run as root (pod: \"web_ns(uid-1)\", container: main)", asRoot.For(pod, Container(null)).Error);
        Assert.Null(Root().For(pod, Container(null)).Error);
        Assert.Null(asRoot.For(pod, Container(new V1SecurityContext { RunAsUser = 7 })).Error);
    }

    [Fact]
    public void UnprivilegedAgent_RunsPodsAsItself_AndRefusesOtherIds()
    {
        var agent = new PodUsers(agentIsRoot: false, 1000, 1001, new ProcessUser(65534, 65534), _accounts);

        Assert.Equal((null, null), agent.For(Pod(null), Container(null)));
        Assert.Equal((null, null), agent.For(Pod(new V1PodSecurityContext { RunAsUser = 1000, RunAsGroup = 1001, RunAsNonRoot = true, FsGroup = 5 }), Container(null)));
        Assert.Equal("runAsUser 0 needs a node agent running as root: this one runs as uid 1000, and so do its pods", agent.For(Pod(null), Container(new V1SecurityContext { RunAsUser = 0 })).Error);
        Assert.Equal("runAsGroup 7 needs a node agent running as root: this one runs as gid 1001, and so do its pods", agent.For(Pod(new V1PodSecurityContext { RunAsGroup = 7 }), Container(null)).Error);
    }

    [Fact]
    public void WorkingDirectoryOwner_IsThePodsUser_WithFsGroupFirst()
    {
        Assert.Equal("uid 65534, gid 65534, groups 65534", Root().OwnerOfWorkingDirectory(Pod(null)).ToString());
        Assert.Equal("uid 1000, gid 1001, groups 1001", Root().OwnerOfWorkingDirectory(Pod(new V1PodSecurityContext { RunAsUser = 1000 })).ToString());
        Assert.Equal("uid 1000, gid 4567, groups 4567", Root().OwnerOfWorkingDirectory(Pod(new V1PodSecurityContext { RunAsUser = 1000, RunAsGroup = 2345, FsGroup = 4567 })).ToString());
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private PodUsers Root() => new(agentIsRoot: true, 0, 0, new ProcessUser(65534, 65534), _accounts);

    private static V1Pod Pod(V1PodSecurityContext? context) => new()
    {
        Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "ns", Uid = "uid-1" },
        Spec = new V1PodSpec { SecurityContext = context, Containers = [] },
    };

    private static V1Container Container(V1SecurityContext? context) => new() { Name = "main", SecurityContext = context };
}
