using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using Berth.Agnhost.Cli;
using Berth.Agnhost.Go;
using Berth.Agnhost.Http;

namespace Berth.Agnhost.ServeHostname;

/// <summary>
/// <c>agnhost serve-hostname</c> (test/images/agnhost/serve-hostname/serve_hostname.go): the hostname over HTTP
/// (default), raw TCP or UDP on <c>--port</c> (9376). On SIGTERM it keeps serving for 60 s ("awaiting pod deletion")
/// and then exits 0.
/// </summary>
internal static class ServeHostnameCommand
{
    public const string Name = "serve-hostname";
    public const string Short = "Serves the hostname";

    private static readonly TimeSpan _afterSigterm = TimeSpan.FromSeconds(60);

    public static FlagSet Flags()
    {
        var flags = new FlagSet(Name);
        flags.Bool("tcp", false, "Serve raw over TCP.");
        flags.Bool("udp", false, "Serve raw over UDP.");
        flags.Bool("http", true, "Serve HTTP.");
        flags.Bool("close", false, "Close connection per each HTTP request.");
        flags.Int("port", 9376, "Port number.");
        return flags;
    }

    public static async Task<int> RunAsync(FlagSet flags, AgnhostOptions options, CancellationToken cancellationToken)
    {
        var log = new GoLog(options.Error, options.TimeProvider);
        bool doTcp = flags.GetBool("tcp"), doUdp = flags.GetBool("udp"), doHttp = flags.GetBool("http"), doClose = flags.GetBool("close");
        var port = flags.GetInt("port");
        if (doHttp && (doTcp || doUdp))
        {
            log.Print("Can't serve TCP/UDP mode and HTTP mode at the same time");
            return 1;
        }

        var sigterm = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var registration = options.Signals.Register(PosixSignal.SIGTERM, () => sigterm.TrySetResult());
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var hostname = Encoding.UTF8.GetBytes(options.Hostname);
        var endPoint = new IPEndPoint(options.BindAddress, port);
        var fatal = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var sockets = new List<IDisposable>();
        try
        {
            if (doTcp)
            {
                var listener = Bind(endPoint, SocketType.Stream, ProtocolType.Tcp);
                sockets.Add(listener);
                listener.Listen(512);
                options.Listening?.Invoke("tcp", (IPEndPoint)listener.LocalEndPoint!);
                _ = ServeTcpAsync(listener, hostname, log, fatal, stop.Token);
            }

            if (doUdp)
            {
                var socket = Bind(endPoint, SocketType.Dgram, ProtocolType.Udp);
                sockets.Add(socket);
                options.Listening?.Invoke("udp", (IPEndPoint)socket.LocalEndPoint!);
                _ = ServeUdpAsync(socket, hostname, log, fatal, stop.Token);
            }

            if (doHttp)
            {
                var mux = new ServeMux();
                mux.Handle("/", (request, response, _) =>
                {
                    log.Print("HTTP request from " + request.RemoteAddr);
                    if (doClose)
                    {
                        // Forces Go's server to close the connection after this answer.
                        response.SetHeader("Connection", "close");
                    }

                    response.Write(options.Hostname);
                    return ValueTask.CompletedTask;
                });
                var server = HttpServer.Listen(endPoint, mux.ServeAsync, null, options.TimeProvider);
                sockets.Add(server);
                options.Listening?.Invoke("http", server.LocalEndPoint);
                _ = server.ServeAsync(stop.Token);
            }
        }
        catch (SocketException e)
        {
            log.Print((doTcp ? "Error from net.Listen(): " : doUdp ? "Error from ListenUDP(): " : string.Empty)
                + GoText.ListenError(doUdp && !doTcp ? "udp" : "tcp", endPoint, e));
            Dispose(sockets);
            return 1;
        }

        log.Print("Serving on port " + port.ToString(CultureInfo.InvariantCulture) + ".\n");
        try
        {
            var ended = await Task.WhenAny(sigterm.Task, fatal.Task).WaitAsync(cancellationToken).ConfigureAwait(false);
            if (ended == fatal.Task)
            {
                log.Print(await fatal.Task.ConfigureAwait(false));
                return 1;
            }

            log.Print("Shutting down after receiving signal: terminated.\n");
            log.Print("Awaiting pod deletion.\n");
            await Task.Delay(_afterSigterm, options.TimeProvider, cancellationToken).ConfigureAwait(false);
            return 0;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return 0;
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            Dispose(sockets);
        }
    }

    private static Socket Bind(IPEndPoint endPoint, SocketType type, ProtocolType protocol)
    {
        var socket = new Socket(endPoint.AddressFamily, type, protocol);
        try
        {
            socket.Bind(endPoint);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static async Task ServeTcpAsync(Socket listener, byte[] hostname, GoLog log, TaskCompletionSource<string> fatal, CancellationToken cancellationToken)
    {
        while (true)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e)
            {
                fatal.TrySetResult("Error from Accept(): " + GoText.Errno(e.SocketErrorCode));
                return;
            }

            using (client)
            {
                log.Print("TCP request from " + GoText.Address(client.RemoteEndPoint));
                try
                {
                    await client.SendAsync(hostname, cancellationToken).ConfigureAwait(false);
                }
                catch (SocketException)
                {
                    // Go ignores the write error too.
                }
            }
        }
    }

    private static async Task ServeUdpAsync(Socket socket, byte[] hostname, GoLog log, TaskCompletionSource<string> fatal, CancellationToken cancellationToken)
    {
        // Go reads into 16 bytes and ignores the content; a full-size buffer avoids .NET's truncation error.
        var buffer = new byte[65536];
        EndPoint any = new IPEndPoint(socket.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        while (true)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await socket.ReceiveFromAsync(buffer, SocketFlags.None, any, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e)
            {
                fatal.TrySetResult("Error from ReadFrom(): " + GoText.Errno(e.SocketErrorCode));
                return;
            }

            log.Print("UDP request from " + GoText.Address(received.RemoteEndPoint));
            try
            {
                await socket.SendToAsync(hostname, SocketFlags.None, received.RemoteEndPoint, cancellationToken).ConfigureAwait(false);
            }
            catch (SocketException)
            {
                // Go ignores the write error too.
            }
        }
    }

    private static void Dispose(List<IDisposable> sockets)
    {
        foreach (var socket in sockets)
        {
            socket.Dispose();
        }
    }
}
