namespace Berth.Core.Patching;

/// <summary>How the API server reports a <see cref="PatchException"/>.</summary>
public enum PatchErrorKind
{
    /// <summary>The patch itself is malformed (400 BadRequest).</summary>
    BadRequest,

    /// <summary>
    /// The patch is well formed but does not apply to the object, e.g. a JSON patch <c>test</c> failed or a
    /// path is missing (422 Invalid, as apiserver's <c>NewGenericServerResponse(422, …)</c>).
    /// </summary>
    Invalid,
}
