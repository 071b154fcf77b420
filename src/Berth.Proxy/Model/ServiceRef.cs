namespace Berth.Proxy.Model;

/// <summary>The Service a model entry came from: enough to name it and to record an event about it.</summary>
internal sealed record ServiceRef(string Namespace, string Name, string? Uid)
{
    /// <summary><c>namespace/name</c>, the key the trackers use.</summary>
    public string Key => Namespace + "/" + Name;

    public override string ToString() => Key;
}
