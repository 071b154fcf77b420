namespace Berth.ApiServer.Proxy;

/// <summary>Where a proxied request goes: <c>http</c>/<c>https</c>, host and port; <see cref="Kubelet"/> means TLS with the API server's kubelet client certificate.</summary>
internal sealed record ProxyTarget(string Scheme, string Host, int Port, bool Kubelet)
{
    public string Authority => (Host.Contains(':', StringComparison.Ordinal) ? "[" + Host + "]" : Host) + ":" + Port.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public Uri Uri(string pathAndQuery) => new(Scheme + "://" + Authority + pathAndQuery);
}
