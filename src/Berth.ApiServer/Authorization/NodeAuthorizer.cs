using Berth.ApiServer.Security;

namespace Berth.ApiServer.Authorization;

/// <summary>
/// The Node authorizer (kubernetes <c>plugin/pkg/auth/authorizer/node/node_authorizer.go</c>): a node agent
/// (<c>system:node:&lt;name&gt;</c> in <c>system:nodes</c>) may read a Secret or ConfigMap only by name and only when a
/// pod bound to it references it, create tokens only for the service accounts of pods bound to it, use only its own Lease in <c>kube-node-lease</c>, and otherwise what
/// <see cref="NodeRules"/> allow. Other users get no opinion.
/// </summary>
internal sealed class NodeAuthorizer : IAuthorizer, IRuleResolver
{
    private readonly NodePodReferences _references;

    public NodeAuthorizer(NodePodReferences references) => _references = references;

    public async ValueTask<AuthorizationResult> AuthorizeAsync(RequestAttributes attributes, CancellationToken cancellationToken)
    {
        var (isNode, nodeName) = attributes.User.NodeIdentity();
        if (!isNode)
        {
            return AuthorizationResult.NoOpinion();
        }

        if (nodeName.Length == 0)
        {
            return AuthorizationResult.NoOpinion($"unknown node for user {PolicyRules.GoQuote(attributes.User.Name)}");
        }

        if (attributes.IsResourceRequest)
        {
            switch ((attributes.ApiGroup, attributes.Resource))
            {
                case ("", "secrets"):
                    return await ReadReferencedAsync(nodeName, PodReference.Secret, attributes, cancellationToken).ConfigureAwait(false);
                case ("", "configmaps"):
                    return await ReadReferencedAsync(nodeName, PodReference.ConfigMap, attributes, cancellationToken).ConfigureAwait(false);
                case ("", "serviceaccounts"):
                    return await CreateTokenAsync(nodeName, attributes, cancellationToken).ConfigureAwait(false);
                case ("", "persistentvolumeclaims" or "persistentvolumes") or ("storage.k8s.io", "volumeattachments") or ("resource.k8s.io", "resourceclaims"):
                    // Berth's pods reference none of these, so no node is related to any of them.
                    return NoRelationship(nodeName);
                case ("coordination.k8s.io", "leases"):
                    return Lease(nodeName, attributes);
                case ("storage.k8s.io", "csinodes"):
                    return attributes.Verb != "create" && attributes.Name != nodeName
                        ? AuthorizationResult.NoOpinion("can only access CSINode with the same name as the requesting node")
                        : AuthorizationResult.Allowed();
                default:
                    break;
            }
        }

        return NodeRules.All.Any(r => PolicyRules.Allows(attributes, r)) ? AuthorizationResult.Allowed() : AuthorizationResult.NoOpinion();
    }

    /// <summary>Nodes' rules are not listed: they depend on the node's pods (<c>RulesFor</c> of the Node authorizer).</summary>
    public UserRules RulesFor(UserInfo user, string ns) =>
        user.NodeIdentity().IsNode ? new UserRules([], true, ["node authorizer does not support user rule resolution"]) : UserRules.Empty;

    private async ValueTask<AuthorizationResult> ReadReferencedAsync(string nodeName, PodReference kind, RequestAttributes attributes, CancellationToken ct)
    {
        if (attributes.Verb is not ("get" or "list" or "watch"))
        {
            return AuthorizationResult.NoOpinion("can only read resources of this type");
        }

        if (attributes.Subresource.Length > 0)
        {
            return AuthorizationResult.NoOpinion("cannot read subresource");
        }

        if (attributes.Namespace.Length == 0)
        {
            return AuthorizationResult.NoOpinion("can only read namespaced object of this type");
        }

        if (attributes.Name.Length == 0)
        {
            return AuthorizationResult.NoOpinion("No Object name found");
        }

        return await _references.ReferencedAsync(nodeName, kind, attributes.Namespace, attributes.Name, ct).ConfigureAwait(false)
            ? AuthorizationResult.Allowed()
            : NoRelationship(nodeName);
    }

    /// <summary><c>authorizeCreateToken</c>: the <c>token</c> subresource of a service account a pod of this node runs as.</summary>
    private async ValueTask<AuthorizationResult> CreateTokenAsync(string nodeName, RequestAttributes attributes, CancellationToken ct)
    {
        if (attributes.Verb != "create" || attributes.Name.Length == 0)
        {
            return AuthorizationResult.NoOpinion("can only create tokens for individual service accounts");
        }

        if (attributes.Subresource != "token")
        {
            return AuthorizationResult.NoOpinion("can only create token subresource of serviceaccount");
        }

        return await _references.ReferencedAsync(nodeName, PodReference.ServiceAccount, attributes.Namespace, attributes.Name, ct).ConfigureAwait(false)
            ? AuthorizationResult.Allowed()
            : NoRelationship(nodeName);
    }

    private static AuthorizationResult Lease(string nodeName, RequestAttributes attributes)
    {
        if (attributes.Verb is not ("get" or "create" or "update" or "patch" or "delete"))
        {
            return AuthorizationResult.NoOpinion("can only get, create, update, patch, or delete a node lease");
        }

        if (attributes.Namespace != "kube-node-lease")
        {
            return AuthorizationResult.NoOpinion("can only access leases in the \"kube-node-lease\" system namespace");
        }

        // A create names no object; NodeRestriction admission checks its name.
        return attributes.Verb != "create" && attributes.Name != nodeName
            ? AuthorizationResult.NoOpinion("can only access node lease with the same name as the requesting node")
            : AuthorizationResult.Allowed();
    }

    private static AuthorizationResult NoRelationship(string nodeName) =>
        AuthorizationResult.NoOpinion($"no relationship found between node '{nodeName}' and this object");
}
