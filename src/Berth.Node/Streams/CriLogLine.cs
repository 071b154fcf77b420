using System.Globalization;
using System.Text;

namespace Berth.Node.Streams;

/// <summary>
/// One record of a CRI log file: <c>2016-10-06T00:17:09.669794202Z stdout F text</c> (kubelet
/// pkg/kubelet/kuberuntime/logs). <c>P</c> marks a partial record whose line continues in the next record.
/// </summary>
internal readonly record struct CriLogLine(string Timestamp, DateTimeOffset Time, string Stream, bool Partial, ReadOnlyMemory<byte> Content)
{
    /// <summary>Parses one record without its trailing newline; <c>false</c> for a malformed record (skipped, as the kubelet does).</summary>
    public static bool TryParse(ReadOnlyMemory<byte> record, out CriLogLine line)
    {
        line = default;
        var span = record.Span;
        var first = span.IndexOf((byte)' ');
        if (first <= 0)
        {
            return false;
        }

        var rest = span[(first + 1)..];
        var second = rest.IndexOf((byte)' ');
        if (second <= 0)
        {
            return false;
        }

        var afterStream = rest[(second + 1)..];
        var third = afterStream.IndexOf((byte)' ');
        var tags = third < 0 ? afterStream : afterStream[..third];
        var contentStart = third < 0 ? record.Length : first + 1 + second + 1 + third + 1;
        var timestamp = Encoding.ASCII.GetString(span[..first]);
        if (!DateTimeOffset.TryParse(timestamp, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
        {
            return false;
        }

        // Tags are ':'-separated; the first is P (partial) or F (full).
        var partial = tags.Length > 0 && tags[0] == (byte)'P';
        line = new CriLogLine(timestamp, time, Encoding.ASCII.GetString(rest[..second]), partial, record[contentStart..]);
        return true;
    }

    /// <summary>
    /// The timestamp as the kubelet prints it with <c>timestamps=true</c>: Go's RFC3339Nano, whose fraction has no
    /// trailing zeros.
    /// </summary>
    public string PrintedTimestamp
    {
        get
        {
            var dot = Timestamp.IndexOf('.', StringComparison.Ordinal);
            if (dot < 0)
            {
                return Timestamp;
            }

            var end = dot + 1;
            while (end < Timestamp.Length && char.IsAsciiDigit(Timestamp[end]))
            {
                end++;
            }

            var fraction = Timestamp[(dot + 1)..end].TrimEnd('0');
            return Timestamp[..dot] + (fraction.Length == 0 ? "" : "." + fraction) + Timestamp[end..];
        }
    }
}
