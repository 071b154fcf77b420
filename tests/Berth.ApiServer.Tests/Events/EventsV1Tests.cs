using Berth.ApiServer.Tests.Infrastructure;
using k8s;
using k8s.Models;

namespace Berth.ApiServer.Tests.Events;

/// <summary>events.k8s.io/v1 Event and core/v1 Event are the same stored objects in two versions.</summary>
public sealed class EventsV1Tests : IClassFixture<BerthServer>
{
    private readonly BerthServer _server;
    private readonly Infrastructure.Kubectl _kubectl;

    public EventsV1Tests(BerthServer server)
    {
        _server = server;
        _kubectl = new Infrastructure.Kubectl(server.KubeconfigPath, server.DataDir);
    }

    [Fact]
    public async Task CoreEvent_ReadAsEventsV1_AndEventsV1_ReadAsCore_AndByKubectl()
    {
        var now = DateTime.UtcNow;
        await _server.Client.CoreV1.CreateNamespacedEventAsync(
            new Corev1Event
            {
                Metadata = new V1ObjectMeta { Name = "core-one" },
                InvolvedObject = new V1ObjectReference { Kind = "Pod", Name = "web-1", NamespaceProperty = "default" },
                Reason = "Started",
                Message = "Started container web",
                Type = "Normal",
                Source = new V1EventSource { Component = "kubelet" },
                FirstTimestamp = now,
                LastTimestamp = now,
                Count = 3,
            },
            "default");
        await _server.Client.EventsV1.CreateNamespacedEventAsync(
            new Eventsv1Event
            {
                Metadata = new V1ObjectMeta { Name = "new-one" },
                EventTime = now,
                Regarding = new V1ObjectReference { Kind = "Pod", Name = "web-2", NamespaceProperty = "default" },
                Reason = "Scheduled",
                Note = "Successfully assigned default/web-2",
                Type = "Normal",
                Action = "Binding",
                ReportingController = "default-scheduler",
                ReportingInstance = "default-scheduler-berth",
            },
            "default");

        var asNew = await _server.Client.EventsV1.ReadNamespacedEventAsync("core-one", "default");
        var asCore = await _server.Client.CoreV1.ReadNamespacedEventAsync("new-one", "default");
        var table = await _kubectl.OkAsync("get", "events");
        var events = await _kubectl.OkAsync("events");
        var v1List = await _server.Client.EventsV1.ListNamespacedEventAsync("default");

        Assert.Equal("events.k8s.io/v1", asNew.ApiVersion);
        Assert.Equal("Started container web", asNew.Note);
        Assert.Equal("web-1", asNew.Regarding.Name);
        Assert.Equal("kubelet", asNew.DeprecatedSource.Component);
        Assert.Equal(3, asNew.DeprecatedCount);
        Assert.Equal("Successfully assigned default/web-2", asCore.Message);
        Assert.Equal("web-2", asCore.InvolvedObject.Name);
        Assert.Equal("default-scheduler", asCore.ReportingComponent);
        Assert.Contains("Successfully assigned default/web-2", table, StringComparison.Ordinal);
        Assert.Contains("Started container web", events, StringComparison.Ordinal);
        Assert.Contains(v1List.Items, e => e.Metadata.Name == "core-one");
        Assert.Contains(v1List.Items, e => e.Metadata.Name == "new-one");
    }
}
