namespace Berth.Controllers.Jobs;

/// <summary>An Event the Job controller records about its Job (upstream's reasons and messages).</summary>
internal sealed record JobEvent(string Type, string Reason, string Message);
