using Berth.ApiServer.Security;

namespace Berth.ApiServer.Authorization;

/// <summary>Lists what a user may do in a namespace (apiserver <c>authorizer.RuleResolver</c>), for SelfSubjectRulesReview and escalation checks.</summary>
internal interface IRuleResolver
{
    UserRules RulesFor(UserInfo user, string ns);
}
