using System.Collections.Concurrent;
using Berth.Node.Pods;

namespace Berth.Node.Tests.Streams;

/// <summary>The pods "this node runs" in the streaming tests.</summary>
internal sealed class TestContainerDirectory : IContainerDirectory
{
    private readonly ConcurrentDictionary<(string, string), (string Uid, string? PodIP, TestContainer[] Containers)> _pods = new();

    public void Add(string ns, string name, string uid, string? podIP, params TestContainer[] containers) =>
        _pods[(ns, name)] = (uid, podIP, containers);

    public RunningPod? FindPod(string ns, string name) =>
        _pods.TryGetValue((ns, name), out var pod)
            ? new RunningPod(ns, name, pod.Uid, pod.PodIP, pod.Containers.Select(c => c.View()).ToList())
            : null;

    public IReadOnlyList<RunningPod> ListPods() => [.. _pods.Keys.Select(k => FindPod(k.Item1, k.Item2)).OfType<RunningPod>()];
}
