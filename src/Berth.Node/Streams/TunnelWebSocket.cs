using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Berth.Node.Streams;

/// <summary>
/// Accepts a WebSocket over the raw connection upgrade, doing the handshake (RFC 6455 §4.2.2) here: for a subprotocol
/// .NET refuses to name (<c>SPDY/3.1+portforward.k8s.io</c> holds a '/', which is not a token character, RFC 6455
/// §4.1, so ASP.NET Core's handshake throws), and for exec, whose connection is read through a
/// <see cref="FrameSplittingStream"/> (ASP.NET Core's accept gives no hold on the stream).
/// </summary>
internal static class TunnelWebSocket
{
    private const string Guid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    /// <summary>Accepts with <paramref name="subProtocol"/> (none when null), reading the client through <paramref name="wrap"/> when given.</summary>
    public static async Task<WebSocket> AcceptAsync(HttpContext context, string? subProtocol, Func<Stream, Stream>? wrap = null)
    {
        var upgrade = context.Features.Get<IHttpUpgradeFeature>();
        var key = context.Request.Headers.SecWebSocketKey.ToString();
        if (upgrade is not { IsUpgradableRequest: true } || key.Length == 0)
        {
            throw KubeletErrors.BadRequest("not a WebSocket upgrade request");
        }

        context.Response.Headers.Upgrade = "websocket";
        context.Response.Headers.SecWebSocketAccept = Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + Guid)));
        if (subProtocol is not null)
        {
            context.Response.Headers.SecWebSocketProtocol = subProtocol;
        }

        var stream = await upgrade.UpgradeAsync().ConfigureAwait(false);
        return WebSocket.CreateFromStream(wrap is null ? stream : wrap(stream), new WebSocketCreationOptions { IsServer = true, KeepAliveInterval = TimeSpan.FromSeconds(30) });
    }
}
