using Berth.Client.Events;
using Berth.Controllers.Tests.Integration;
using k8s.Models;

namespace Berth.Controllers.Tests.Events;

public sealed class EventRecorderIntegrationTests : IClassFixture<ControlPlaneFixture>
{
    private static readonly CancellationToken _none = CancellationToken.None;
    private readonly ControlPlaneFixture _fixture;

    public EventRecorderIntegrationTests(ControlPlaneFixture fixture)
    {
        _fixture = fixture;
    }

    [Fact]
    public async Task RecordAsync_Repeat_IncrementsCountOfOneEvent()
    {
        var ns = await _fixture.NewNamespaceAsync();
        var cm = await _fixture.Client.CreateAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "cm", NamespaceProperty = ns } }, _none);
        var recorder = new EventRecorder(_fixture.Client);

        await recorder.RecordAsync(cm, EventRecorder.Warning, "Broken", "it broke", "test-controller", _none);
        await recorder.RecordAsync(cm, EventRecorder.Warning, "Broken", "it broke", "test-controller", _none);
        await recorder.RecordAsync(cm, EventRecorder.Warning, "Broken", "it broke", "test-controller", _none);
        await recorder.RecordAsync(cm, EventRecorder.Warning, "Broken", "it broke differently", "test-controller", _none);

        var events = (await _fixture.Client.ListAsync<Corev1Event>(ns, null, _none)).Items.OrderBy(e => e.Message, StringComparer.Ordinal).ToList();
        Assert.Equal(2, events.Count);
        var repeated = events[0];
        Assert.Equal("it broke", repeated.Message);
        Assert.Equal(3, repeated.Count);
        Assert.Equal(1, events[1].Count);
        Assert.StartsWith("cm.", repeated.Metadata.Name, StringComparison.Ordinal);
        Assert.Equal("ConfigMap", repeated.InvolvedObject.Kind);
        Assert.Equal("v1", repeated.InvolvedObject.ApiVersion);
        Assert.Equal(cm.Metadata.Uid, repeated.InvolvedObject.Uid);
        Assert.Equal(ns, repeated.InvolvedObject.NamespaceProperty);
        Assert.Equal("test-controller", repeated.Source.Component);
        Assert.Equal("test-controller", repeated.ReportingComponent);
        Assert.NotNull(repeated.FirstTimestamp);
        Assert.True(repeated.LastTimestamp >= repeated.FirstTimestamp);
    }

    [Fact]
    public async Task RecordAsync_ClusterScopedObject_EventInDefaultNamespace()
    {
        var ns = await _fixture.Client.GetAsync<V1Namespace>(null, await _fixture.NewNamespaceAsync(), _none);
        var recorder = new EventRecorder(_fixture.Client);

        await recorder.RecordAsync(ns!, EventRecorder.Normal, "Checked", "fine", "test-controller", _none);

        var events = (await _fixture.Client.ListAsync<Corev1Event>("default", null, _none)).Items;
        Assert.Contains(events, e => e.InvolvedObject.Name == ns!.Metadata.Name && e.InvolvedObject.Kind == "Namespace" && e.Count == 1);
    }
}
