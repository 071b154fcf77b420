namespace Berth.Claims;

/// <summary>What this Berth wants is held by another one on this machine; the message says what, who and what to do.</summary>
internal sealed class ClaimException(string message) : Exception(message);
