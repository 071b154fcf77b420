namespace Berth.Proxy.Balancing;

/// <summary>The endpoints as a ring: policies pick a start and go round from there.</summary>
internal static class Ring
{
    /// <summary>The first index from <paramref name="start"/> round the ring that <paramref name="filter"/> accepts, or -1.</summary>
    public static int FirstAccepted(ReadOnlySpan<BackendEndpoint> endpoints, int start, EndpointFilter filter)
    {
        var n = endpoints.Length;
        for (var i = 0; i < n; i++)
        {
            var index = start + i < n ? start + i : start + i - n;
            if (filter.Accepts(endpoints[index]))
            {
                return index;
            }
        }

        return -1;
    }

    /// <summary>The next start of a moving ring position (<paramref name="counter"/> is shared by the callers).</summary>
    public static int Next(ref int counter, int length) => (int)((uint)Interlocked.Increment(ref counter) % (uint)length);
}
