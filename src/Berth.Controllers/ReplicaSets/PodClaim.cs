using k8s.Models;

namespace Berth.Controllers.ReplicaSets;

/// <summary>
/// Result of <see cref="ReplicaSetPlanner.ClaimPods"/>: <see cref="Owned"/> are the pods the ReplicaSet manages after
/// the claim (already owned and still matching, plus those to adopt); <see cref="ToAdopt"/> need an owner reference
/// patched in, <see cref="ToRelease"/> need it removed.
/// </summary>
internal sealed record PodClaim(IReadOnlyList<V1Pod> Owned, IReadOnlyList<V1Pod> ToAdopt, IReadOnlyList<V1Pod> ToRelease);
