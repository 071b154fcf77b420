namespace Berth.ApiServer.Authorization;

/// <summary>An authorizer's answer (apiserver <c>authorizer.Decision</c>): the chain goes on after <see cref="NoOpinion"/>.</summary>
internal enum Decision
{
    NoOpinion,
    Allow,
    Deny,
}
