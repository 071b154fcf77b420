namespace Berth.Core.Selectors;

/// <summary>
/// A label or field selector that does not parse. The message follows Kubernetes' wording
/// (<c>unable to parse requirement: …</c>, <c>found '…', expected: …</c>) so the API server can put it
/// straight into a 400 BadRequest <c>Status</c>.
/// </summary>
public sealed class SelectorParseException : Exception
{
    public SelectorParseException()
    {
    }

    public SelectorParseException(string message)
        : base(message)
    {
    }

    public SelectorParseException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
