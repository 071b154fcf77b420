using k8s;

namespace Berth.Client;

/// <summary>
/// One watch event. <paramref name="Type"/> is never <see cref="WatchEventType.Error"/> (errors are thrown);
/// for <see cref="WatchEventType.Bookmark"/> <paramref name="Object"/> carries only <c>metadata.resourceVersion</c>.
/// </summary>
public sealed record WatchEvent<T>(WatchEventType Type, T Object);
