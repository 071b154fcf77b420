namespace Berth.ApiServer.Security;

/// <summary>An object a token is bound to, by name and uid (the <c>kubernetes.io</c> claim's <c>pod</c>, <c>secret</c>, <c>node</c>).</summary>
public sealed record BoundObject(string Name, string Uid);
