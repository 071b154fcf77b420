using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Berth.Agnhost.Go;
using Berth.Agnhost.Http;

namespace Berth.Agnhost.Netexec;

/// <summary>
/// netexec's HTTP endpoints (test/images/agnhost/netexec/netexec.go), answering byte for byte as upstream does —
/// including its quirks: <c>/dial</c> and <c>/shell</c> answer 200 even on failure, <c>/healthz</c> stays 412 while
/// no UDP server runs.
/// </summary>
internal sealed partial class NetexecHandlers(AgnhostOptions options, GoLog log, Dialer dialer)
{
    private readonly long _started = options.TimeProvider.GetTimestamp();
    private volatile bool _udpReady;
    private volatile bool _sigtermReceived;

    /// <summary>Completed by <c>/exit</c>, <c>/shutdown</c> and the end of the SIGTERM delay.</summary>
    public TaskCompletionSource<ExitRequest> Exit { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Go's <c>serverReady</c>: a UDP server is running.</summary>
    public bool UdpReady
    {
        get => _udpReady;
        set => _udpReady = value;
    }

    public bool SigtermReceived => _sigtermReceived;

    public void Register(ServeMux mux)
    {
        mux.Handle("/", Root);
        mux.Handle("/clientip", ClientIP);
        mux.Handle("/header", Header);
        mux.Handle("/dial", DialAsync);
        mux.Handle("/echo", Echo);
        mux.Handle("/exit", ExitAsync);
        mux.Handle("/healthz", Healthz);
        mux.Handle("/readyz", Readyz);
        mux.Handle("/hostname", (r, w, c) => Hostname("/hostname", w));
        mux.Handle("/redirect", Redirect);
        mux.Handle("/shell", ShellAsync);
        mux.Handle("/upload", Upload);
        mux.Handle("/hostName", (r, w, c) => Hostname("/hostName", w));
        mux.Handle("/shutdown", Shutdown);
    }

    /// <summary>SIGTERM: <c>/readyz</c> turns 503 at once; the process exits 0 after <paramref name="delay"/>.</summary>
    public void OnSigterm(TimeSpan delay)
    {
        if (_sigtermReceived)
        {
            return;
        }

        _sigtermReceived = true;
        _ = ExitAfterAsync(delay);
    }

    /// <summary><c>--http-override</c>: every request is served as a fresh GET of the override path.</summary>
    public static RequestHandler Override(string target, ServeMux mux) => (request, response, cancellationToken) =>
    {
        var q = target.IndexOf('?', StringComparison.Ordinal);
        var rawPath = q < 0 ? target : target[..q];
        if (!QueryString.TryUnescape(rawPath, plusIsSpace: false, out var path))
        {
            response.Error("override request failed: invalid URL escape", 500);
            return ValueTask.CompletedTask;
        }

        // http.NewRequest: no headers, no RemoteAddr.
        var synthesized = new HttpRequest { Method = "GET", Path = path, RawQuery = q < 0 ? string.Empty : target[(q + 1)..] };
        return mux.ServeAsync(synthesized, response, cancellationToken);
    };

    private async Task ExitAfterAsync(TimeSpan delay)
    {
        if (delay > TimeSpan.Zero)
        {
            log.Print("Sleeping " + ((int)delay.TotalSeconds).ToString(CultureInfo.InvariantCulture) + " seconds before terminating...");
            await Task.Delay(delay, options.TimeProvider).ConfigureAwait(false);
        }

        Exit.TrySetResult(new ExitRequest(0, TimeSpan.Zero));
    }

    private ValueTask Root(HttpRequest request, HttpResponse response, CancellationToken cancellationToken)
    {
        log.Print("GET /");
        response.Write("NOW: " + GoText.Time(options.TimeProvider.GetUtcNow(), options.TimeProvider.GetElapsedTime(_started)));
        return ValueTask.CompletedTask;
    }

    private ValueTask Echo(HttpRequest request, HttpResponse response, CancellationToken cancellationToken)
    {
        var msg = request.FormValue("msg");
        var codeString = request.FormValue("code");
        log.Print("GET /echo?msg=" + msg + "&code=" + codeString);
        if (codeString.Length > 0)
        {
            if (!TryAtoi(codeString, out var code))
            {
                response.Write("argument 'code' must be an integer or empty, got " + GoText.Quote(codeString) + "\n");
                return ValueTask.CompletedTask;
            }

            response.WriteHeader(code);
        }

        response.Write(msg);
        return ValueTask.CompletedTask;
    }

    private ValueTask ClientIP(HttpRequest request, HttpResponse response, CancellationToken cancellationToken)
    {
        log.Print("GET /clientip");
        response.Write(request.RemoteAddr);
        return ValueTask.CompletedTask;
    }

    private ValueTask Header(HttpRequest request, HttpResponse response, CancellationToken cancellationToken)
    {
        var key = request.FormValue("key");
        if (key.Length > 0)
        {
            log.Print("GET /header?key=" + key);
            response.Write(request.Header(key));
            return ValueTask.CompletedTask;
        }

        log.Print("GET /header");
        var header = request.Headers
            .GroupBy(h => h.Key, StringComparer.Ordinal)
            .Select(g => new KeyValuePair<string, IReadOnlyList<string>>(g.Key, g.Select(h => h.Value).ToList()));
        response.Write(GoJson.Object(header));
        return ValueTask.CompletedTask;
    }

    private ValueTask Hostname(string path, HttpResponse response)
    {
        log.Print("GET " + path);
        response.Write(options.Hostname);
        return ValueTask.CompletedTask;
    }

    private ValueTask Healthz(HttpRequest request, HttpResponse response, CancellationToken cancellationToken)
    {
        log.Print("GET /healthz");
        response.WriteHeader(_udpReady ? 200 : 412);
        return ValueTask.CompletedTask;
    }

    private ValueTask Readyz(HttpRequest request, HttpResponse response, CancellationToken cancellationToken)
    {
        log.Print("GET /readyz");
        if (_sigtermReceived)
        {
            response.WriteHeader(503);
            response.Write("shutting down");
        }
        else if (_udpReady)
        {
            response.Write("ok");
        }
        else
        {
            response.WriteHeader(412);
        }

        return ValueTask.CompletedTask;
    }

    private ValueTask Shutdown(HttpRequest request, HttpResponse response, CancellationToken cancellationToken)
    {
        log.Print("GET /shutdown");
        Exit.TrySetResult(new ExitRequest(0, TimeSpan.Zero));
        response.Abort();
        return ValueTask.CompletedTask;
    }

    private async ValueTask ExitAsync(HttpRequest request, HttpResponse response, CancellationToken cancellationToken)
    {
        var waitString = request.FormValue("wait");
        var timeoutString = request.FormValue("timeout");
        var codeString = request.FormValue("code");
        log.Print("GET /exit?code=" + codeString + "&timeout=" + timeoutString + "&wait=" + waitString);
        if (!GoDuration.TryParse(timeoutString, out var timeout) && timeoutString.Length > 0)
        {
            response.Write("argument 'timeout' must be a valid golang duration or empty, got " + GoText.Quote(timeoutString) + "\n");
            return;
        }

        if (!GoDuration.TryParse(waitString, out var wait) && waitString.Length > 0)
        {
            response.Write("argument 'wait' must be a valid golang duration or empty, got " + GoText.Quote(waitString) + "\n");
            return;
        }

        if (!TryAtoi(codeString, out var code) && codeString.Length > 0)
        {
            response.Write("argument 'code' must be an integer [0-127] or empty, got " + GoText.Quote(codeString) + "\n");
            return;
        }

        log.Print("Will begin shutdown in " + GoDuration.Format(wait) + ", allowing " + GoDuration.Format(timeout)
            + " for connections to close, then will exit with " + code.ToString(CultureInfo.InvariantCulture));
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, options.TimeProvider, cancellationToken).ConfigureAwait(false);
        }

        Exit.TrySetResult(new ExitRequest(code, timeout));
        if (timeout == TimeSpan.Zero)
        {
            // os.Exit: the client gets no answer.
            response.Abort();
        }
    }

    private ValueTask Redirect(HttpRequest request, HttpResponse response, CancellationToken cancellationToken)
    {
        var location = request.FormValue("location");
        var codeString = request.FormValue("code");
        log.Print(request.Method + " /redirect?msg=" + location + "&code=" + codeString);
        var code = 302;
        if (codeString.Length > 0 && !TryAtoi(codeString, out code))
        {
            response.Write("argument 'code' must be an integer or empty, got " + GoText.Quote(codeString) + "\n");
            return ValueTask.CompletedTask;
        }

        ServeMux.Redirect(request, response, location, code);
        return ValueTask.CompletedTask;
    }

    private async ValueTask ShellAsync(HttpRequest request, HttpResponse response, CancellationToken cancellationToken)
    {
        var cmd = request.FormValue("shellCommand");
        if (cmd.Length == 0)
        {
            cmd = request.FormValue("cmd");
        }

        log.Print("GET /shell?cmd=" + cmd);
        var (output, error) = await Shell.RunAsync(options.ShellPath, cmd, cancellationToken).ConfigureAwait(false);
        var result = new List<KeyValuePair<string, string>>();
        if (output.Length > 0)
        {
            result.Add(new("output", output));
        }

        if (error is not null)
        {
            result.Add(new("error", error));
        }

        log.Print("Output: map[" + string.Join(' ', result.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => r.Key + ":" + r.Value)) + "]");
        response.Write(GoJson.Object(result));
    }

    private ValueTask Upload(HttpRequest request, HttpResponse response, CancellationToken cancellationToken)
    {
        // Upstream writes multipart uploads to /uploads in the container; a host-process pod has no such place.
        log.Print("GET /upload");
        response.Error("upload is not supported by Berth's built-in agnhost", 501);
        return ValueTask.CompletedTask;
    }

    /// <summary>Go's <c>strconv.Atoi</c>.</summary>
    private static bool TryAtoi(string text, out int value) =>
        int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
}
