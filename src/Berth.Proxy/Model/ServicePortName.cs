namespace Berth.Proxy.Model;

/// <summary>
/// One port of one Service: kube-proxy's <c>ServicePortName</c> (pkg/proxy/types.go). Service ports and EndpointSlice
/// ports meet on (<see cref="Port"/> name, <see cref="Protocol"/>), never on the number.
/// </summary>
internal readonly record struct ServicePortName(string Namespace, string Name, string Port, TransportProtocol Protocol)
{
    /// <summary><c>namespace/name</c>: the Service's key.</summary>
    public string ServiceKey => Namespace + "/" + Name;

    /// <summary>kube-proxy's spelling: <c>ns/name:port</c>, or <c>ns/name</c> for an unnamed port.</summary>
    public override string ToString() => Port.Length == 0 ? ServiceKey : ServiceKey + ":" + Port;
}
