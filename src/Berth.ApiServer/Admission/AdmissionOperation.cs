namespace Berth.ApiServer.Admission;

/// <summary>What a write does (apiserver <c>admission.Operation</c>); messages print it upper-case.</summary>
internal enum AdmissionOperation
{
    Create,
    Update,
    Delete,
}
