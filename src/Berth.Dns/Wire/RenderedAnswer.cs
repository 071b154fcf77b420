namespace Berth.Dns.Wire;

/// <summary>
/// The sections after the question of one answer, as bytes, valid for every query of the same name, type and class:
/// names point into the question (whose layout does not depend on the client's letter case), so a query is answered
/// by copying its header and question and appending these bytes.
/// </summary>
internal sealed class RenderedAnswer
{
    public required ResponseCode Rcode { get; init; }

    public required bool Authoritative { get; init; }

    /// <summary>Answer, authority and additional records, in that order.</summary>
    public required byte[] Records { get; init; }

    /// <summary>Bytes of the answer and authority sections: without the additional section the answer still stands.</summary>
    public required int MainLength { get; init; }

    public required ushort AnswerCount { get; init; }

    public required ushort AuthorityCount { get; init; }

    public required ushort AdditionalCount { get; init; }

    /// <summary>Set when even the largest message (TCP, 64 KiB) cannot hold every answer record.</summary>
    public bool Truncated { get; init; }
}
