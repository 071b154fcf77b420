namespace Berth.Agnhost.Netexec;

/// <summary>One try of <c>/dial</c>: the peer's answer, or the error text Go would give.</summary>
internal readonly record struct DialOutcome(string Response, string? Error)
{
    public static DialOutcome Failed(string error) => new(string.Empty, error);
}
