using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Berth.Benchmarks.ControlPlane;

/// <summary>
/// Raw HTTPS to a Berth API server with the admin token, trusting only the cluster CA: the benchmark's writes and its
/// EndpointSlice watch go through this (pre-rendered JSON, no model serialization) so that the load generator costs
/// the 2 shared cores as little as possible.
/// </summary>
internal sealed class BenchApi : IDisposable
{
    private readonly HttpClient _http;

    public BenchApi(string url, string token, X509Certificate2 ca)
    {
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = 256,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(10),
            SslOptions =
            {
                RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                {
                    if (certificate is null)
                    {
                        return false;
                    }

                    using var chain = new X509Chain();
                    chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                    chain.ChainPolicy.CustomTrustStore.Add(ca);
                    chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                    return chain.Build(new X509Certificate2(certificate));
                },
            },
        };
        _http = new HttpClient(handler) { BaseAddress = new Uri(url), Timeout = TimeSpan.FromMinutes(10) };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    }

    /// <summary>A client for a data directory written by <c>berth server</c> (its <c>admin.token</c> and <c>ca.crt</c>).</summary>
    public static BenchApi ForDataDir(string dataDir, int port) =>
        new($"https://127.0.0.1:{port}", File.ReadAllText(Path.Combine(dataDir, "admin.token")).Trim(), X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(dataDir, "ca.crt"))));

    public Task PostAsync(string path, string json, CancellationToken cancellationToken) => SendAsync(HttpMethod.Post, path, json, cancellationToken);

    public Task PutAsync(string path, string json, CancellationToken cancellationToken) => SendAsync(HttpMethod.Put, path, json, cancellationToken);

    /// <summary>A strategic merge patch, as the kubelet writes pod and node status (no resourceVersion needed).</summary>
    public Task PatchAsync(string path, string json, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Patch, path, json, cancellationToken, "application/strategic-merge-patch+json");

    public async Task<string> GetStringAsync(string path, CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync(path, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        return response.IsSuccessStatusCode ? body : throw new HttpRequestException($"GET {path}: {(int)response.StatusCode} {body}");
    }

    /// <summary>A streaming GET (watch): the caller reads and disposes the response.</summary>
    public Task<HttpResponseMessage> StreamAsync(string path, CancellationToken cancellationToken) =>
        _http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead, cancellationToken);

    /// <summary>Runs <paramref name="body"/> for 0..count-1 with <paramref name="concurrency"/> requests in flight.</summary>
    public static Task ForEachAsync(int count, int concurrency, Func<int, Task> body)
    {
        var next = -1;
        return Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                await body(i).ConfigureAwait(false);
            }
        }));
    }

    public void Dispose() => _http.Dispose();

    private async Task SendAsync(HttpMethod method, string path, string json, CancellationToken cancellationToken, string mediaType = "application/json")
    {
        using var request = new HttpRequestMessage(method, path) { Content = new StringContent(json, Encoding.UTF8, mediaType) };
        using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            throw new HttpRequestException($"{method} {path}: {(int)response.StatusCode} {body}");
        }
    }
}
