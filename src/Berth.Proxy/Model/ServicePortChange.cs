namespace Berth.Proxy.Model;

/// <summary>One Service port whose model changed: added (no <see cref="Previous"/>), removed (no <see cref="Current"/>) or changed.</summary>
internal readonly record struct ServicePortChange(ServicePortName Name, ServicePortModel? Previous, ServicePortModel? Current);
