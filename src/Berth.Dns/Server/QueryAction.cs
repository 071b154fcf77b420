namespace Berth.Dns.Server;

/// <summary>What to do with a query after <see cref="QueryProcessor.Process"/>.</summary>
internal enum QueryAction
{
    /// <summary>Send the response written into the buffer.</summary>
    Respond,

    /// <summary>Send nothing (a response, or a message too short to answer).</summary>
    Drop,

    /// <summary>The name is outside the cluster zone: ask the upstream resolvers.</summary>
    Forward,

    /// <summary>An ExternalName Service whose target is outside the zone: our CNAME, then the target resolved upstream.</summary>
    Chase,
}
