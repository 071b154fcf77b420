namespace Berth.Agnhost.Http;

/// <summary>Fills <paramref name="response"/> for <paramref name="request"/> (Go's <c>http.HandlerFunc</c>).</summary>
internal delegate ValueTask RequestHandler(HttpRequest request, HttpResponse response, CancellationToken cancellationToken);
