using System.Net.Security;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Berth.Agnhost.Http;

/// <summary>One accepted connection: read a request, run the handler, write the answer, until close.</summary>
internal sealed class HttpConnection(HttpServer server, Socket socket)
{
    private static readonly byte[] _continue = Encoding.ASCII.GetBytes("HTTP/1.1 100 Continue\r\n\r\n");
    private int _idle = 1;
    private int _closed;

    public async Task RunAsync()
    {
        var remoteAddr = Go.GoText.Address(socket.RemoteEndPoint);
        Stream stream = new NetworkStream(socket, ownsSocket: true);
        try
        {
            if (server.Certificate is not null)
            {
                stream = await TlsAsync(stream, server.Certificate).ConfigureAwait(false);
            }

            var reader = new HttpRequestReader(stream);
            while (!server.ShuttingDown)
            {
                HttpRequest? request;
                try
                {
                    request = await reader.ReadAsync(remoteAddr, () => stream.WriteAsync(_continue), CancellationToken.None).ConfigureAwait(false);
                }
                catch (HttpParseException e)
                {
                    var text = e.StatusCode + " " + StatusText.ReasonPhrase(e.StatusCode);
                    var answer = "HTTP/1.1 " + text + "\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n" + text;
                    await stream.WriteAsync(Encoding.Latin1.GetBytes(answer)).ConfigureAwait(false);
                    return;
                }

                if (request is null || Interlocked.Exchange(ref _idle, 0) == 2)
                {
                    return;
                }

                var response = new HttpResponse();
                try
                {
                    await server.Handler(request, response, CancellationToken.None).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    // Go's server recovers a panicking handler and drops the connection.
                    response.Abort();
                }
                if (response.Aborted)
                {
                    return;
                }

                var keepAlive = request.KeepAlive && !response.WantsClose && !server.ShuttingDown;
                await stream.WriteAsync(response.Serialize(request, keepAlive, server.Time.GetUtcNow())).ConfigureAwait(false);
                if (!keepAlive)
                {
                    return;
                }

                _idle = 1;
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or AuthenticationException)
        {
            // The peer went away, or the server closed this connection.
        }
        finally
        {
            Close();
            await stream.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Kept out of <see cref="RunAsync"/> so plain HTTP never loads the TLS assemblies (start time, memory).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static async Task<Stream> TlsAsync(Stream stream, object certificate)
    {
        var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
        try
        {
            await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = (X509Certificate2)certificate }).ConfigureAwait(false);
            return ssl;
        }
        catch
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Closes the connection when it waits for a request (Go closes idle connections on shutdown).</summary>
    public void CloseIfIdle()
    {
        if (Interlocked.CompareExchange(ref _idle, 2, 1) == 1)
        {
            Close();
        }
    }

    public void Close()
    {
        if (Interlocked.Exchange(ref _closed, 1) == 0)
        {
            socket.Dispose();
        }
    }
}
