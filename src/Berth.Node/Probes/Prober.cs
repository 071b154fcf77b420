using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Berth.Node.Runtime;
using k8s.Models;

namespace Berth.Node.Probes;

/// <summary>
/// Runs one check: a probe's or lifecycle hook's <c>httpGet</c>, <c>tcpSocket</c> or <c>exec</c> action, as
/// pkg/kubelet/prober (prober.go, probe/http, probe/tcp, probe/exec). HTTP succeeds on 200–399 (redirects are not
/// followed: a 3xx is a success either way), with the kubelet's <c>User-Agent: kube-probe/…</c> and <c>Accept: */*</c>
/// unless the probe sets them; TLS certificates are not verified. Exec runs the command with the container's
/// environment, working directory and pod sandbox and fails on a non-zero exit or when it outlives the timeout.
/// </summary>
internal sealed class Prober : IDisposable
{
    /// <summary>Output kept from an exec probe or an HTTP body (probe/exec's 10 KiB).</summary>
    private const int MaxOutput = 10 * 1024;

    private readonly HttpClient _http;
    private readonly ProcessLauncher _launcher;
    private readonly TimeProvider _time;

    public Prober(ProcessLauncher launcher, TimeProvider time)
    {
        _launcher = launcher;
        _time = time;
        _http = new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            UseCookies = false,
            PooledConnectionLifetime = TimeSpan.Zero,
            SslOptions = { RemoteCertificateValidationCallback = static (_, _, _, _) => true },
        })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    /// <summary>Runs <paramref name="probe"/>'s action once.</summary>
    public Task<(ProbeResult Result, string Output)> ProbeAsync(V1Probe probe, ProbeTarget target, CancellationToken cancellationToken)
    {
        var timeout = TimeSpan.FromSeconds(Math.Max(1, probe.TimeoutSeconds ?? 1));
        if (probe.Exec is { } exec)
        {
            return ExecAsync(exec.Command ?? [], target, timeout, cancellationToken);
        }

        if (probe.HttpGet is { } http)
        {
            return HttpGetAsync(http, target, timeout, cancellationToken);
        }

        if (probe.TcpSocket is { } tcp)
        {
            return TcpAsync(tcp, target, timeout, cancellationToken);
        }

        return Task.FromResult(probe.Grpc is not null
            ? (ProbeResult.Failure, "grpc probes are not supported by Berth")
            : (ProbeResult.Unknown, "missing probe handler"));
    }

    public async Task<(ProbeResult Result, string Output)> HttpGetAsync(V1HTTPGetAction action, ProbeTarget target, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var port = ResolvePort(action.Port, target.Container);
        if (port is null)
        {
            return (ProbeResult.Failure, $"couldn't find port {action.Port?.Value} in container");
        }

        var scheme = string.Equals(action.Scheme, "HTTPS", StringComparison.OrdinalIgnoreCase) ? "https" : "http";
        var host = string.IsNullOrEmpty(action.Host) ? target.PodIP : action.Host;
        var path = string.IsNullOrEmpty(action.Path) ? "/" : action.Path.StartsWith('/') ? action.Path : "/" + action.Path;
        var url = new Uri(scheme + "://" + (host.Contains(':', StringComparison.Ordinal) ? "[" + host + "]" : host) + ":" + port.Value.ToString(CultureInfo.InvariantCulture) + path);
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.TryAddWithoutValidation("User-Agent", "kube-probe/1.34");
        request.Headers.TryAddWithoutValidation("Accept", "*/*");
        request.Headers.ConnectionClose = true;
        foreach (var header in action.HttpHeaders ?? [])
        {
            if (string.Equals(header.Name, "Host", StringComparison.OrdinalIgnoreCase))
            {
                request.Headers.Host = header.Value;
                continue;
            }

            request.Headers.Remove(header.Name);
            request.Headers.TryAddWithoutValidation(header.Name, header.Value);
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token).ConfigureAwait(false);
            var code = (int)response.StatusCode;
            if (code is >= 200 and < 400)
            {
                return (ProbeResult.Success, string.Empty);
            }

            return (ProbeResult.Failure, "HTTP probe failed with statuscode: " + code.ToString(CultureInfo.InvariantCulture));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (ProbeResult.Failure, $"Get \"{url}\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)");
        }
        catch (HttpRequestException e)
        {
            return (ProbeResult.Failure, $"Get \"{url}\": {Describe(e)}");
        }
    }

    public async Task<(ProbeResult Result, string Output)> TcpAsync(V1TCPSocketAction action, ProbeTarget target, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var port = ResolvePort(action.Port, target.Container);
        if (port is null)
        {
            return (ProbeResult.Failure, $"couldn't find port {action.Port?.Value} in container");
        }

        var host = string.IsNullOrEmpty(action.Host) ? target.PodIP : action.Host;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(host, port.Value, deadline.Token).ConfigureAwait(false);
            return (ProbeResult.Success, string.Empty);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (ProbeResult.Failure, $"dial tcp {host}:{port}: i/o timeout");
        }
        catch (SocketException e)
        {
            return (ProbeResult.Failure, $"dial tcp {host}:{port}: connect: {e.Message.ToLowerInvariant()}");
        }
    }

    public async Task<(ProbeResult Result, string Output)> ExecAsync(IList<string> command, ProbeTarget target, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (command.Count == 0)
        {
            return (ProbeResult.Failure, "exec: no command");
        }

        LaunchedProcess process;
        try
        {
            process = _launcher.Launch(new ProcessSpec
            {
                FileName = command[0],
                Arguments = [.. command.Skip(1)],
                Environment = target.Environment,
                WorkingDirectory = target.WorkingDirectory,
                Sandbox = target.Sandbox,
                User = target.User,
            });
        }
        catch (ProcessStartException e)
        {
            return (ProbeResult.Failure, e.Message);
        }

        var output = new StringBuilder();
        var readers = Task.WhenAll(CollectAsync(process.StandardOutput, output), CollectAsync(process.StandardError, output));
        try
        {
            var code = await process.Exited.WaitAsync(timeout, _time, cancellationToken).ConfigureAwait(false);
            await readers.WaitAsync(TimeSpan.FromSeconds(1), _time, CancellationToken.None).ConfigureAwait(false);
            string text;
            lock (output)
            {
                text = output.ToString();
            }

            return code == 0 ? (ProbeResult.Success, text) : (ProbeResult.Failure, text.Length > 0 ? text : "command failed with exit code " + code.ToString(CultureInfo.InvariantCulture));
        }
        catch (TimeoutException)
        {
            process.Signal(Signals.Kill);
            return (ProbeResult.Failure, $"command \"{string.Join(' ', command)}\" timed out");
        }
        catch (OperationCanceledException)
        {
            process.Signal(Signals.Kill);
            throw;
        }
    }

    /// <summary>A named port is looked up in the container's ports (probe/util FindPortByName).</summary>
    internal static int? ResolvePort(IntOrString? port, V1Container container)
    {
        var value = port?.Value;
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return number is > 0 and < 65536 ? number : null;
        }

        return container.Ports?.FirstOrDefault(p => p.Name == value)?.ContainerPort;
    }

    private static async Task CollectAsync(Stream stream, StringBuilder output)
    {
        var buffer = new byte[4096];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer).ConfigureAwait(false)) > 0)
            {
                lock (output)
                {
                    if (output.Length < MaxOutput)
                    {
                        output.Append(Encoding.UTF8.GetString(buffer, 0, Math.Min(read, MaxOutput - output.Length)));
                    }
                }
            }
        }
        catch (IOException)
        {
        }
        finally
        {
            await stream.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static string Describe(HttpRequestException e) =>
        e.InnerException is SocketException socket ? "dial tcp: connect: " + socket.Message.ToLowerInvariant() : e.Message;

    public void Dispose() => _http.Dispose();
}
