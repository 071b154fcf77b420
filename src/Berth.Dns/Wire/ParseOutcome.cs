namespace Berth.Dns.Wire;

/// <summary>What <see cref="QueryParser"/> made of a message.</summary>
internal enum ParseOutcome
{
    /// <summary>A well-formed standard query with one question.</summary>
    Ok,

    /// <summary>Not worth an answer: shorter than a header, or a response (QR set) — answering could start a loop.</summary>
    Drop,

    /// <summary>Malformed: answered FORMERR with the header alone.</summary>
    FormErr,

    /// <summary>An opcode other than QUERY: answered NOTIMP with the header alone.</summary>
    NotImp,

    /// <summary>An EDNS version above 0: answered BADVERS (RFC 6891 §6.1.3).</summary>
    BadVersion,
}
