namespace Berth.Client.Http;

/// <summary>
/// Put first in KubernetesClient's handler chain, it hands every request to an in-memory server instead of passing it
/// on to the socket handler (KubernetesClient takes only delegating handlers; the inner one is never used).
/// </summary>
internal sealed class InProcessHandler(HttpMessageHandler server) : DelegatingHandler
{
    /// <summary>The base address requests carry; nothing resolves or dials it.</summary>
    public const string BaseAddress = "http://in-process.berth.invalid";

    private readonly HttpMessageInvoker _server = new(server, disposeHandler: true);

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        _server.SendAsync(request, cancellationToken);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _server.Dispose();
        }

        base.Dispose(disposing);
    }
}
