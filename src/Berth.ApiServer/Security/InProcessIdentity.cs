namespace Berth.ApiServer.Security;

/// <summary>
/// The identity of a request that came through the in-process transport, put on its <c>HttpContext</c> by the
/// handler <see cref="ApiServerHost.CreateInProcessHandlerAsync(UserInfo, CancellationToken)"/> made: a feature object
/// of the server, not a header or any byte of the request, so no client over the network can present it.
/// </summary>
internal sealed record InProcessIdentity(UserInfo User);
