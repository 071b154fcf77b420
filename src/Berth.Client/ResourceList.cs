namespace Berth.Client;

/// <summary>The items of a list and the resourceVersion the list was read at (the point to watch from).</summary>
public sealed record ResourceList<T>(IReadOnlyList<T> Items, string ResourceVersion);
