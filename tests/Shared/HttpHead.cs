namespace Berth.Tests.Shared;

/// <summary>Raw HTTP/1.1 for tests that play a server byte by byte.</summary>
internal static class HttpHead
{
    /// <summary>Reads up to and including the blank line that ends a request or response head (or to the end of the stream).</summary>
    public static async Task ReadAsync(Stream stream, CancellationToken ct)
    {
        var seen = new List<byte>();
        var one = new byte[1];
        while (!(seen.Count >= 4 && seen[^4] == '\r' && seen[^3] == '\n' && seen[^2] == '\r' && seen[^1] == '\n'))
        {
            if (await stream.ReadAsync(one, ct) == 0)
            {
                return;
            }

            seen.Add(one[0]);
        }
    }
}
