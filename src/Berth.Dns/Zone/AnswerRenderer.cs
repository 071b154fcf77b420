using Berth.Dns.Wire;

namespace Berth.Dns.Zone;

/// <summary>Turns a <see cref="ZoneAnswer"/> for one question name into a <see cref="RenderedAnswer"/>.</summary>
internal static class AnswerRenderer
{
    /// <summary>Room for the records in the largest message: 64 KiB less header, the longest question and an OPT record.</summary>
    private const int MaxRecordBytes = ushort.MaxValue - 12 - 255 - 4 - ResponseWriter.OptLength;

    public static RenderedAnswer Render(string questionName, ZoneAnswer answer, bool authoritative = true)
    {
        var writer = new MessageWriter(DnsQuery.QuestionOffset + DnsName.WireLength(questionName) + 4);
        writer.AddKnownName(questionName, DnsQuery.QuestionOffset);
        var answers = WriteAll(writer, answer.Answer, out var truncated);
        var authority = truncated ? (ushort)0 : WriteAll(writer, answer.Authority, out truncated);
        var main = writer.Length;
        var additional = truncated ? (ushort)0 : WriteAll(writer, answer.Additional, out _);
        return new RenderedAnswer
        {
            Rcode = answer.Rcode,
            Authoritative = authoritative,
            Records = writer.ToArray(),
            MainLength = main,
            AnswerCount = answers,
            AuthorityCount = authority,
            AdditionalCount = additional,
            Truncated = truncated,
        };
    }

    private static ushort WriteAll(MessageWriter writer, IReadOnlyList<ResourceRecord> records, out bool truncated)
    {
        ushort count = 0;
        foreach (var record in records)
        {
            var before = writer.Length;
            record.Write(writer);
            if (writer.Length > MaxRecordBytes)
            {
                writer.Truncate(before);
                truncated = true;
                return count;
            }

            count++;
        }

        truncated = false;
        return count;
    }
}
