using System.Net;
using System.Text.Json;
using k8s;

namespace Berth.Client.Http;

public sealed partial class HttpApiClient
{
    /// <summary>KubernetesClient's own serializer settings (read once through its public hook; nothing is changed).</summary>
    private static readonly JsonSerializerOptions _json = KubernetesOptions();

    /// <summary>
    /// Sends a request and reads its answer within <paramref name="timeout"/>, on either transport: the deadline
    /// cancels the connect, the wait for headers and the body alike. The caller's own cancellation stays a cancellation.
    /// </summary>
    private async Task<TResult> CallAsync<TResult>(
        HttpMethod method, string path, HttpContent? content, TimeSpan timeout, Func<HttpResponseMessage, CancellationToken, Task<TResult>> read, CancellationToken cancellationToken)
    {
        using var deadline = new CancellationTokenSource(timeout, _options.TimeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            using var response = await SendAsync(method, path, content, linked.Token).ConfigureAwait(false);
            return await read(response, linked.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (Expired(e, deadline, cancellationToken))
        {
            throw TimedOut($"{method} {path}: no complete answer within {Seconds(timeout)}", e);
        }
    }

    /// <summary>A failure that the deadline caused: cancelled, or the transport torn down under a read, after it passed.</summary>
    private static bool Expired(Exception e, CancellationTokenSource deadline, CancellationToken caller) =>
        deadline.IsCancellationRequested && !caller.IsCancellationRequested && e is OperationCanceledException or IOException or HttpRequestException;

    private static ApiTimeoutException TimedOut(string message, Exception inner) =>
        new(ApiException.FromCode(HttpStatusCode.GatewayTimeout, message + " (client deadline)"), inner);

    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture) + "s";

    private static JsonSerializerOptions KubernetesOptions()
    {
        JsonSerializerOptions? options = null;
        KubernetesJson.AddJsonOptions(o => options = o);
        return options ?? throw new InvalidOperationException("KubernetesJson gave no serializer options");
    }
}
