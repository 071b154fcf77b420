using Berth.ApiServer.Admission;
using Berth.ApiServer.Authorization;
using Berth.ApiServer.Http;
using Berth.Core.Errors;
using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Http;

namespace Berth.ApiServer.Rest;

internal sealed partial class RestHandler
{
    /// <summary>The admission plugins every client write goes through (the server's own writes, with no user, skip them).</summary>
    public IAdmissionPlugin Admission { get; init; } = AdmissionChain.None;

    /// <summary>Answers the create-only reviews (SelfSubjectAccessReview, …); null serves none.</summary>
    public AccessReviews? Reviews { get; init; }

    /// <summary>
    /// <c>POST</c> of a review: decoded and validated like any create, then answered with its status filled in (201,
    /// as kube-apiserver) and never stored. Any other verb on a review is 405.
    /// </summary>
    private async Task AnswerReviewAsync(HttpContext context, RequestInfo request, string method, CancellationToken ct)
    {
        if (!request.IsCollection || method != "POST" || Reviews is null || request.User is not { } user)
        {
            throw MethodNotAllowed(method, request);
        }

        var resource = request.Resource;
        var body = await ReadBodyAsync(context, request, ct).ConfigureAwait(false);
        var review = DecodeBody(context, resource, body, resource.ModelType);
        review.Metadata ??= new V1ObjectMeta();
        if (resource.Namespaced)
        {
            if (!string.IsNullOrEmpty(review.Metadata.NamespaceProperty) && review.Metadata.NamespaceProperty != request.Namespace)
            {
                throw StatusErrors.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
            }

            review.Metadata.NamespaceProperty = request.Namespace;
        }

        var errors = resource.Strategy.Validate(review);
        if (errors.Count > 0)
        {
            throw StatusErrors.Invalid(resource.Group, resource.Kind, review.Metadata.Name ?? "", errors);
        }

        var answered = await Reviews.AnswerAsync(review, user, request.Namespace, ct).ConfigureAwait(false);
        answered.ApiVersion = resource.ApiVersion;
        answered.Kind = resource.Kind;
        await Responses.WriteObjectAsync(context, 201, answered, ct).ConfigureAwait(false);
    }

    /// <summary>Runs <see cref="Admission"/> on a client's write; the server's own writes (no user) are not admitted.</summary>
    private ValueTask AdmitAsync(
        RequestInfo request,
        AdmissionOperation operation,
        string name,
        IKubernetesObject<V1ObjectMeta>? obj,
        IKubernetesObject<V1ObjectMeta>? old,
        CancellationToken ct) =>
        request.User is { } user
            ? Admission.AdmitAsync(new AdmissionRequest(user, operation, request.Resource, request.Subresource ?? "", request.Namespace ?? "", name, obj, old), ct)
            : ValueTask.CompletedTask;
}
