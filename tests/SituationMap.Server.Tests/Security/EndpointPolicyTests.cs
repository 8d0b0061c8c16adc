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
            // the live hub's endpoints (negotiate and the connection itself) included: they carry the hub's policy
            if (anonymous) Assert.True(Anonymous.Contains(name), $"{name} allows anonymous access");
            else if (policies.Count == 0) missing.Add(name);
            Assert.All(policies, p => Assert.Contains(p!, Permissions.All));
        }
        Assert.True(missing.Count == 0, "endpoints without an explicit policy: " + string.Join(", ", missing));
        var hub = endpoints.Where(e => e.RoutePattern.RawText!.StartsWith("/hubs/live", StringComparison.Ordinal)).ToList();
        Assert.Contains(hub, e => e.RoutePattern.RawText == "/hubs/live/negotiate");
        Assert.All(hub, e => Assert.Contains(Permissions.Read, e.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy)));
    }

    /// <summary>Every state-changing or CPU-heavy request (anything but GET/HEAD) is limited per account (or, before
    /// sign-in, per client address) by a named rate-limit policy.</summary>
    [Fact]
    public void EveryNonGetEndpointHasARateLimitPolicy()
    {
        var endpoints = server.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => !e.RoutePattern.RawText!.StartsWith("/hubs/live", StringComparison.Ordinal)) // one long-lived connection, not requests
            .ToList();
        var missing = new List<string>();
        foreach (var e in endpoints)
        {
            var methods = e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["*"];
            var name = $"{string.Join('|', methods)} {e.RoutePattern.RawText}";
            if (methods.All(m => m is "GET" or "HEAD") || (Anonymous.Contains(name) && name.StartsWith("* /health", StringComparison.Ordinal))
                || name == "* /metrics") continue; // probes and the metrics scrape read only, whatever the method
            var policy = e.Metadata.GetMetadata<Microsoft.AspNetCore.RateLimiting.EnableRateLimitingAttribute>()?.PolicyName;
            if (policy is not (AuthSetup.SignInLimit or AuthSetup.WriteLimit or AuthSetup.IngestLimit or AuthSetup.HeavyLimit))
                missing.Add(name);
        }
        Assert.True(missing.Count == 0, "non-GET endpoints without a rate limit: " + string.Join(", ", missing));
    }

    [Fact]
    public async Task TheLiveHubRefusesAnonymousNegotiation()
    {
        using var anonymous = server.CreateClient("");
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await anonymous.PostAsync("/hubs/live/negotiate?negotiateVersion=1", null)).StatusCode);
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
