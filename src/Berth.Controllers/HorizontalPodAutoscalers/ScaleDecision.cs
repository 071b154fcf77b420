namespace Berth.Controllers.HorizontalPodAutoscalers;

/// <summary>
/// The replica count after stabilization and rate limits, with the reasons and messages of the conditions Kubernetes
/// sets from them: AbleToScale (stabilized or ready) and ScalingLimited (limited or within range).
/// </summary>
public sealed record ScaleDecision(int Replicas, string AbleReason, string AbleMessage, bool Limited, string LimitReason, string LimitMessage);
