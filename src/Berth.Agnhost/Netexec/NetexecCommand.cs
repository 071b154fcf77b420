using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Berth.Agnhost.Cli;
using Berth.Agnhost.Go;
using Berth.Agnhost.Http;

namespace Berth.Agnhost.Netexec;

/// <summary>
/// <c>agnhost netexec</c>: the HTTP server of <see cref="NetexecHandlers"/> on <c>--http-port</c> (8080), the UDP
/// command server on <c>--udp-port</c> (8081; -1: none). SIGTERM makes <c>/readyz</c> answer 503 and exits 0 after
/// <c>--delay-shutdown</c> seconds. SCTP is accepted on the command line and not served.
/// </summary>
internal static class NetexecCommand
{
    public const string Name = "netexec";
    public const string Short = "Creates HTTP(S), UDP, and (optionally) SCTP servers with various endpoints";

    public static FlagSet Flags()
    {
        var flags = new FlagSet(Name);
        flags.Int("http-port", 8080, "HTTP Listen Port");
        flags.String("tls-cert-file", string.Empty, "File containing an x509 certificate for HTTPS. (CA cert, if any, concatenated after server cert)");
        flags.String("tls-private-key-file", string.Empty, "File containing an x509 private key matching --tls-cert-file");
        flags.Int("udp-port", 8081, "UDP Listen Port");
        flags.Int("sctp-port", -1, "SCTP Listen Port (accepted, not served by Berth)");
        flags.String("http-override", string.Empty, "Override the HTTP handler to always respond as if it were a GET with this path & params");
        flags.String("udp-listen-addresses", string.Empty, "A comma separated list of ip addresses the udp servers listen from");
        flags.Int("delay-shutdown", 0, "Number of seconds to delay shutdown when receiving SIGTERM.");
        return flags;
    }

    public static async Task<int> RunAsync(FlagSet flags, AgnhostOptions options, CancellationToken cancellationToken)
    {
        var log = new GoLog(options.Error, options.TimeProvider);
        var httpPort = flags.GetInt("http-port");
        var udpPort = flags.GetInt("udp-port");
        var sctpPort = flags.GetInt("sctp-port");
        var httpOverride = flags.GetString("http-override");
        var delayShutdown = TimeSpan.FromSeconds(flags.GetInt("delay-shutdown"));

        var handlers = new NetexecHandlers(options, log, new Dialer(options.PodIP, options.TimeProvider));
        var mux = new ServeMux();
        handlers.Register(mux);
        RequestHandler root = mux.ServeAsync;
        if (httpOverride.Length > 0)
        {
            var outer = new ServeMux();
            outer.Handle("/", NetexecHandlers.Override(httpOverride, mux));
            root = outer.ServeAsync;
        }

        using var sigterm = options.Signals.Register(PosixSignal.SIGTERM, () => handlers.OnSigterm(delayShutdown));
        var udpServers = new List<UdpCommandServer>();
        HttpServer? http = null;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            if (udpPort != -1)
            {
                var addresses = ParseAddresses(flags.GetString("udp-listen-addresses"), options, out var badAddress);
                if (addresses is null)
                {
                    log.Print("parseAddress: invalid address " + badAddress);
                    return 1;
                }

                foreach (var address in addresses)
                {
                    var endPoint = new IPEndPoint(address, udpPort);
                    try
                    {
                        udpServers.Add(UdpCommandServer.Bind(endPoint, options.Hostname, log));
                    }
                    catch (SocketException e)
                    {
                        log.Print("Error occurred: failed to create listener for UDP address " + GoText.HostPort(address, udpPort) + ":"
                            + GoText.ListenError("udp", endPoint, e));
                        return 1;
                    }
                }
            }

            if (sctpPort != -1)
            {
                log.Print("SCTP is not supported by Berth: --sctp-port=" + sctpPort.ToString(CultureInfo.InvariantCulture) + " is not served");
            }

            object? certificate = null;
            if (flags.GetString("tls-cert-file") is { Length: > 0 } certFile)
            {
                certificate = LoadCertificate(certFile, flags.GetString("tls-private-key-file"), out var certificateError);
                if (certificate is null)
                {
                    log.Print(certificateError);
                    return 1;
                }
            }

            log.Print("Started HTTP server on port " + httpPort.ToString(CultureInfo.InvariantCulture));
            var httpEndPoint = new IPEndPoint(options.BindAddress, httpPort);
            try
            {
                http = HttpServer.Listen(httpEndPoint, root, certificate, options.TimeProvider);
            }
            catch (SocketException e)
            {
                log.Print(GoText.ListenError("tcp", httpEndPoint, e));
                return 1;
            }

            options.Listening?.Invoke("http", http.LocalEndPoint);
            var udpFatal = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            foreach (var udp in udpServers)
            {
                log.Print("Started UDP server on port " + (options.PodIP is null ? string.Empty : udp.LocalEndPoint.Address.ToString()) + " "
                    + udp.LocalEndPoint.Port.ToString(CultureInfo.InvariantCulture));
                options.Listening?.Invoke("udp", udp.LocalEndPoint);
                handlers.UdpReady = true;
                _ = ServeUdpAsync(udp, handlers, log, udpFatal, stop.Token);
            }

            _ = http.ServeAsync(stop.Token);
            var ended = await Task.WhenAny(handlers.Exit.Task, udpFatal.Task).WaitAsync(cancellationToken).ConfigureAwait(false);
            if (ended == udpFatal.Task)
            {
                log.Print(await udpFatal.Task.ConfigureAwait(false));
                return 1;
            }

            var exit = await handlers.Exit.Task.ConfigureAwait(false);
            if (exit.Timeout != TimeSpan.Zero)
            {
                var drained = await http.ShutdownAsync(exit.Timeout).ConfigureAwait(false);
                log.Print("Graceful shutdown completed with: " + (drained ? "<nil>" : "context deadline exceeded"));
            }

            return exit.Code;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return 0;
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            http?.Dispose();
            foreach (var udp in udpServers)
            {
                udp.Dispose();
            }
        }
    }

    /// <summary>Apart from <see cref="RunAsync"/> so plain HTTP never loads the crypto assemblies.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static object? LoadCertificate(string certFile, string keyFile, out string error)
    {
        error = string.Empty;
        try
        {
            return X509Certificate2.CreateFromPemFile(certFile, keyFile.Length > 0 ? keyFile : null);
        }
        catch (Exception e) when (e is IOException or CryptographicException or UnauthorizedAccessException)
        {
            error = e.Message;
            return null;
        }
    }

    private static async Task ServeUdpAsync(UdpCommandServer udp, NetexecHandlers handlers, GoLog log, TaskCompletionSource<string> fatal, CancellationToken cancellationToken)
    {
        var error = await udp.ServeAsync(cancellationToken).ConfigureAwait(false);
        log.Print("UDP server exited");
        handlers.UdpReady = false;
        if (error is not null)
        {
            fatal.TrySetResult(error);
        }
    }

    /// <summary>
    /// <c>--udp-listen-addresses</c>, deduplicated and sorted as upstream's string set; empty means "any", which in
    /// Berth is the pod IP.
    /// </summary>
    private static List<IPAddress>? ParseAddresses(string addresses, AgnhostOptions options, out string bad)
    {
        bad = string.Empty;
        if (addresses.Length == 0)
        {
            return [options.BindAddress];
        }

        var result = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var address in addresses.Split(','))
        {
            if (!IPAddress.TryParse(address, out _))
            {
                bad = address;
                return null;
            }

            result.Add(address);
        }

        return result.Select(IPAddress.Parse).ToList();
    }
}
