namespace Berth.Proxy.Model;

/// <summary>A Service as the proxy sees it: its ports, or none when the proxy leaves it alone (headless, ExternalName, another proxy's).</summary>
internal sealed record ServiceInfo(ServiceRef Service, EquatableArray<ServicePortInfo> Ports);
