namespace Berth.ApiServer.Admission;

/// <summary>
/// A validating admission step (apiserver <c>admission.ValidationInterface</c>): returns when the write may go on,
/// throws a Forbidden <see cref="Core.Errors.StatusException"/> when it may not.
/// </summary>
internal interface IAdmissionPlugin
{
    ValueTask AdmitAsync(AdmissionRequest request, CancellationToken cancellationToken);
}
