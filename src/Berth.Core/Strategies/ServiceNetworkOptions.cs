using Berth.Core.Validation;

namespace Berth.Core.Strategies;

/// <summary>
/// The IP families the cluster's service CIDRs cover, primary first (<c>--service-cluster-ip-range</c>).
/// Drives IP-family defaulting and the "not configured on this cluster" checks.
/// </summary>
public sealed record ServiceNetworkOptions
{
    /// <summary>A single-stack IPv4 cluster, Berth's default.</summary>
    public static ServiceNetworkOptions SingleStackIPv4 { get; } = new();

    /// <summary><c>IPv4</c> and/or <c>IPv6</c>, at most one of each, primary first.</summary>
    public IReadOnlyList<string> IPFamilies { get; init; } = [IPAddresses.IPv4];

    public string PrimaryFamily => IPFamilies[0];

    public bool IsDualStack => IPFamilies.Count > 1;

    public bool Supports(string family) => IPFamilies.Contains(family);

    internal static string OtherFamily(string family) => family == IPAddresses.IPv4 ? IPAddresses.IPv6 : IPAddresses.IPv4;
}
