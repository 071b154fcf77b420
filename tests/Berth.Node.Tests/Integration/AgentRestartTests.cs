using Berth.Node.Pods;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Node.Tests.Integration;

/// <summary>
/// Runs the pod side of an agent in its own process (tests/Berth.Node.AgentHost) for a second, unschedulable node,
/// kills it with SIGKILL, checks that no pod process survives, then starts an agent for the node again.
/// </summary>
[Collection(NodeCollection.Name)]
public sealed class AgentRestartTests(NodeFixture fixture)
{
    private readonly NodeFixture _fixture = fixture;

    [Fact]
    public async Task AgentKilledWithSigkill_LeavesNoPodProcess_AndARestartedAgentRestartsItsPods()
    {
        var ns = await _fixture.NewNamespaceAsync();
        var node = "agent-" + Guid.NewGuid().ToString("N")[..6];
        var cidr = _fixture.PodCidr.Replace("127.244.", "127.245.", StringComparison.Ordinal);
        var dataDir = Path.Combine(_fixture.DataDir, node);
        await NodeFixture.CreateNodeAsync(_fixture.Client, node, cidr, schedulable: false);

        using var agent = AgentHostProcess.Start(_fixture.Host.KubeconfigPath, node, dataDir, cidr);
        PodManager? restarted = null;
        try
        {
            Assert.Equal("started", await agent.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60)));
            await _fixture.Client.CreateAsync(Pods.Shell(ns, "survivor", "sleep 3600 & sleep 3600", nodeName: node), CancellationToken.None);
            await _fixture.Client.CreateAsync(Pods.Shell(ns, "done", "exit 0", "OnFailure", nodeName: node), CancellationToken.None);
            var running = await Pods.WaitAsync(_fixture.Client, ns, "survivor", Pods.IsReady, "ready");
            await Pods.WaitAsync(_fixture.Client, ns, "done", p => p.Status?.Phase == "Succeeded", "Succeeded");
            var pid = Pods.Pid(Pods.First(running)!);
            Assert.True(ProcessGroups.HasLiveMember(pid));

            agent.Kill(); // SIGKILL: the agent runs no code at all
            await agent.WaitForExitAsync();

            await ProcessGroups.WaitGoneAsync(pid);

            restarted = new PodManager(_fixture.Client, new NodeAgentOptions { NodeName = node, DataDir = dataDir }, cidr, NullLoggerFactory.Instance, _fixture.RuntimeOptions);
            await restarted.StartAsync(CancellationToken.None);

            var again = await Pods.WaitAsync(_fixture.Client, ns, "survivor", p => Pods.IsReady(p) && Pods.First(p)!.RestartCount == 1, "restarted and ready");
            Assert.Equal(running.Status.PodIP, again.Status.PodIP);
            Assert.NotEqual(pid, Pods.Pid(Pods.First(again)!));
            Assert.Equal("ContainerStatusUnknown", Pods.First(again)!.LastState.Terminated.Reason);
            var done = await _fixture.Client.GetAsync<V1Pod>(ns, "done", CancellationToken.None);
            Assert.Equal("Succeeded", done!.Status.Phase);
            Assert.Equal(0, Pods.First(done)!.RestartCount);
        }
        finally
        {
            if (!agent.HasExited)
            {
                agent.Kill();
            }

            if (restarted is not null)
            {
                await restarted.DisposeAsync();
            }
        }
    }
}
