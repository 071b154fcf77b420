using System.Net;

namespace Berth.Cli.Start;

/// <summary>A node that started (<c>berth up</c>, <c>berth agent</c>), for the ready block.</summary>
/// <param name="Name">The Node's name.</param>
/// <param name="Address">Its InternalIP.</param>
/// <param name="PodCidr">The pod CIDR it got.</param>
/// <param name="Metrics">Its HTTP endpoint (<c>/metrics</c>, <c>/healthz</c>).</param>
/// <param name="DnsEnabled">False for <c>--dns-addr none</c>.</param>
/// <param name="Dns">Where the cluster DNS listens; null when it is enabled but could not bind.</param>
/// <param name="ClusterDomain">The cluster domain it serves.</param>
internal sealed record StartedNode(string Name, IPAddress Address, string PodCidr, IPEndPoint Metrics, bool DnsEnabled, IPEndPoint? Dns, string ClusterDomain);
