namespace Berth.Controllers.StatefulSets;

/// <summary>A pod the StatefulSet must create: its ordinal and the ControllerRevision (by name) its template comes from.</summary>
internal sealed record StatefulPodToCreate(int Ordinal, string Revision);
