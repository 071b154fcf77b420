namespace Berth.Node.Volumes;

/// <summary>One file of a volume's payload: its bytes and permission bits (the kubelet's <c>volumeutil.FileProjection</c>).</summary>
internal sealed record FileProjection(byte[] Data, UnixFileMode Mode);
