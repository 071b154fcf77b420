namespace Berth.Node.Resolver;

/// <summary>A pod's resolver configuration and the events that explain what was changed or left out.</summary>
internal sealed record PodDnsPlan(ResolvConf Config, IReadOnlyList<PlannedEvent> Events);
