using static Berth.Core.Serialization.Protobuf.ProtoField;

namespace Berth.Core.Serialization.Protobuf;

internal static partial class KubernetesSchema
{
    /// <summary>
    /// The reviews <c>kubectl auth can-i</c> and <c>kubectl auth whoami</c> send. Field numbers and names from
    /// kubernetes/kubernetes staging/src/k8s.io/api/authorization/v1/generated.proto and authentication/v1; the field
    /// and label selector attributes and a SubjectAccessReview's <c>extra</c> are skipped.
    /// </summary>
    private static void AddAuthorization(Dictionary<string, ProtoField[]> m)
    {
        m["ResourceAttributes"] =
        [
            Str(1, "namespace"), Str(2, "verb"), Str(3, "group"), Str(4, "version"), Str(5, "resource"), Str(6, "subresource"),
            Str(7, "name"),
        ];
        m["NonResourceAttributes"] =
        [
            Str(1, "path"), Str(2, "verb"),
        ];
        m["SubjectAccessReviewStatus"] =
        [
            Bool(1, "allowed", keep: true), Bool(4, "denied"), Str(2, "reason"), Str(3, "evaluationError"),
        ];
        m["SelfSubjectAccessReviewSpec"] =
        [
            Msg(1, "resourceAttributes", "ResourceAttributes"), Msg(2, "nonResourceAttributes", "NonResourceAttributes"),
        ];
        m["SelfSubjectAccessReview"] =
        [
            Msg(1, "metadata", "ObjectMeta"), Msg(2, "spec", "SelfSubjectAccessReviewSpec"), Msg(3, "status", "SubjectAccessReviewStatus"),
        ];
        m["SubjectAccessReviewSpec"] =
        [
            Msg(1, "resourceAttributes", "ResourceAttributes"), Msg(2, "nonResourceAttributes", "NonResourceAttributes"),
            Str(3, "user"), Strs(4, "groups"), Str(6, "uid"),
        ];
        m["SubjectAccessReview"] =
        [
            Msg(1, "metadata", "ObjectMeta"), Msg(2, "spec", "SubjectAccessReviewSpec"), Msg(3, "status", "SubjectAccessReviewStatus"),
        ];
        m["LocalSubjectAccessReview"] = m["SubjectAccessReview"];
        m["SelfSubjectRulesReviewSpec"] =
        [
            Str(1, "namespace"),
        ];
        m["SelfSubjectRulesReview"] =
        [
            Msg(1, "metadata", "ObjectMeta"), Msg(2, "spec", "SelfSubjectRulesReviewSpec"),
        ];
        m["SelfSubjectReview"] =
        [
            Msg(1, "metadata", "ObjectMeta"),
        ];
    }
}
