using System.Threading.Channels;
using Berth.Client.Events;
using Berth.Proxy.Model;
using k8s.Models;

namespace Berth.Proxy.Observability;

/// <summary>
/// Warning events on Services from component <c>berth-proxy</c>, through <see cref="EventRecorder"/> (deduplicated:
/// a repeat bumps the count). Recorded in the background, so a sync never waits for the API server.
/// </summary>
internal sealed class ServiceEvents : IServiceEvents, IAsyncDisposable
{
    public const string Component = "berth-proxy";

    private readonly EventRecorder _recorder;
    private readonly Channel<(ServiceRef Service, string Reason, string Message)> _queue =
        Channel.CreateBounded<(ServiceRef, string, string)>(new BoundedChannelOptions(1024) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    private readonly CancellationTokenSource _stop = new();
    private readonly Task _writer;

    public ServiceEvents(EventRecorder recorder)
    {
        _recorder = recorder;
        _writer = Task.Run(WriteAsync);
    }

    public void Warning(ServiceRef service, string reason, string message) => _queue.Writer.TryWrite((service, reason, message));

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _stop.CancelAsync().ConfigureAwait(false);
        await _writer.ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task WriteAsync()
    {
        try
        {
            await foreach (var (service, reason, message) in _queue.Reader.ReadAllAsync(_stop.Token).ConfigureAwait(false))
            {
                var involved = new V1Service
                {
                    ApiVersion = "v1",
                    Kind = "Service",
                    Metadata = new V1ObjectMeta { NamespaceProperty = service.Namespace, Name = service.Name, Uid = service.Uid },
                };
                await _recorder.RecordAsync(involved, EventRecorder.Warning, reason, message, Component, _stop.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
