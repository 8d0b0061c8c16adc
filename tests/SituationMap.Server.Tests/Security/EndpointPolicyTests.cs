using System.Reflection;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using SituationMap.Server.Accounts;
using SituationMap.Server.Live;
using SituationMap.Testing;

namespace SituationMap.Server.Tests.Security;

public sealed class EndpointPolicyTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    /// <summary>Endpoints anyone may call: signing in, the health probes (for the proxy), the API description.</summary>
    private static readonly string[] Anonymous = ["POST /api/auth/sign-in", "GET /api/auth/providers", "GET /api/auth/oidc/sign-in", "* /health", "* /health/ready", "* /health/live", "GET /openapi/{documentName}.json"];

    [Fact]
    public void EveryEndpointNamesAPolicyOrIsDeliberatelyAnonymous()
    {
        var endpoints = server.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();
        Assert.True(endpoints.Count > 40, $"found only {endpoints.Count} endpoints");
        var missing = new List<string>();
        foreach (var e in endpoints)
        {
            var name = $"{string.Join('|', e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["*"])} {e.RoutePattern.RawText}";
            var anonymous = e.Metadata.GetMetadata<IAllowAnonymous>() is not null;
            var policies = e.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).Where(p => p is not null).ToList();
            if (anonymous) Assert.True(Anonymous.Contains(name) || e.RoutePattern.RawText!.StartsWith("/hubs/live", StringComparison.Ordinal), $"{name} allows anonymous access");
            else if (policies.Count == 0 && !e.RoutePattern.RawText!.StartsWith("/hubs/live", StringComparison.Ordinal)) missing.Add(name);
            Assert.All(policies, p => Assert.Contains(p!, Permissions.All));
        }
        Assert.True(missing.Count == 0, "endpoints without an explicit policy: " + string.Join(", ", missing));
    }

    [Fact]
    public void TheLiveHubAndEachOfItsMethodsRequireReading()
    {
        Assert.Equal(Permissions.Read, typeof(LiveHub).GetCustomAttribute<AuthorizeAttribute>()?.Policy);
        // hub methods clients can call: declared here, not overrides of Hub's lifecycle (OnConnectedAsync is not callable)
        var methods = typeof(LiveHub).GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
            .Where(m => !m.IsSpecialName && m.GetBaseDefinition().DeclaringType == typeof(LiveHub)).ToList();
        Assert.Contains(methods, m => m.Name == nameof(LiveHub.Subscribe));
        Assert.All(methods, m => Assert.Equal(Permissions.Read, m.GetCustomAttribute<AuthorizeAttribute>()?.Policy));
    }

    [Fact]
    public void EveryPermissionIsGrantedToSomeRoleAndAdminsDoNotDispatch()
    {
        Assert.All(Permissions.All.Where(p => p != Permissions.SignedIn), p => Assert.NotEmpty(Roles.RolesGranting(p)));
        Assert.DoesNotContain(Permissions.IncidentsWrite, Roles.PermissionsOf([Roles.Admin]));
        Assert.DoesNotContain(Permissions.Admin, Roles.PermissionsOf([Roles.Commander]));
    }
}
