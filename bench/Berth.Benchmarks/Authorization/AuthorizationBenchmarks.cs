using BenchmarkDotNet.Attributes;
using Berth.ApiServer.Authorization;
using Berth.ApiServer.Security;
using Berth.Core.Resources;
using k8s.Models;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Benchmarks.Authorization;

/// <summary>
/// What authorization adds to every request (issue 11 item 5): parsing the request's attributes, then the authorizer
/// chain for the admin (privileged group: the first check), for a user allowed by a RoleBinding and for one denied, with
/// the bootstrap policy plus 1,000 namespaces of one RoleBinding each
/// (<c>dotnet run -c Release --project bench/Berth.Benchmarks -- --filter '*AuthorizationBenchmarks*' --job short</c>).
/// </summary>
[MemoryDiagnoser]
public class AuthorizationBenchmarks
{
    private const int Namespaces = 1000;

    private UnionAuthorizer _authorizer = null!;
    private RequestAttributes _admin = null!;
    private RequestAttributes _allowed = null!;
    private RequestAttributes _denied = null!;
    private HttpRequest _request = null!;

    [GlobalSetup]
    public void Setup()
    {
        var cache = new RbacCache(null!, ResourceRegistry.Default, TimeProvider.System, NullLogger.Instance);
        var snapshot = RbacSnapshot.Empty;
        foreach (var role in BootstrapPolicy.ClusterRoles())
        {
            snapshot = snapshot.With(role, deleted: false);
        }

        foreach (var binding in BootstrapPolicy.ClusterRoleBindings())
        {
            snapshot = snapshot.With(binding, deleted: false);
        }

        snapshot = snapshot.With(new V1ClusterRole { Metadata = new V1ObjectMeta { Name = "view" }, Rules = [PolicyRules.Resources(["get", "list", "watch"], [""], ["pods", "services", "configmaps"])] }, deleted: false);
        for (var i = 0; i < Namespaces; i++)
        {
            snapshot = snapshot.With(
                new V1RoleBinding
                {
                    Metadata = new V1ObjectMeta { Name = "viewers", NamespaceProperty = "ns-" + i },
                    RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "ClusterRole", Name = "view" },
                    Subjects = [new Rbacv1Subject { Kind = "User", Name = "user-" + i }],
                },
                deleted: false);
        }

        cache.Publish(snapshot);
        _authorizer = new UnionAuthorizer(new PrivilegedGroupAuthorizer(), new NodeAuthorizer(null!), new RbacAuthorizer(cache));
        var user = new UserInfo("user-500", [UserInfo.AllAuthenticated]);
        _allowed = new RequestAttributes { User = user, Verb = "list", IsResourceRequest = true, ApiVersion = "v1", Namespace = "ns-500", Resource = "pods" };
        _denied = _allowed with { Verb = "delete", Name = "p" };
        _admin = _allowed with { User = UserInfo.Admin };
        var context = new DefaultHttpContext();
        context.Request.Method = "GET";
        context.Request.Path = "/api/v1/namespaces/ns-500/pods";
        context.Request.QueryString = new QueryString("?limit=500");
        _request = context.Request;
    }

    [Benchmark]
    public string ParseAttributes() => RequestAttributesParser.Parse(_request, _allowed.User).Verb;

    [Benchmark(Baseline = true)]
    public bool Admin() => _authorizer.AuthorizeAsync(_admin, CancellationToken.None).Result.IsAllowed;

    [Benchmark]
    public bool UserAllowedByRoleBinding() => _authorizer.AuthorizeAsync(_allowed, CancellationToken.None).Result.IsAllowed;

    [Benchmark]
    public bool UserDenied() => _authorizer.AuthorizeAsync(_denied, CancellationToken.None).Result.IsAllowed;
}
