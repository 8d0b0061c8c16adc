using System.Net;
using SituationMap.Testing;
using static SituationMap.Testing.Api;

namespace SituationMap.Server.Tests.Security;

public sealed class HardeningTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task EveryResponseCarriesTheSecurityHeaders()
    {
        foreach (var url in new[] { "/api/incidents?limit=1", "/health", "/api/nothing", "/openapi/v1.json" })
        {
            var response = await server.CreateClient().GetAsync(url);
            Assert.Contains("default-src 'self'", response.Headers.GetValues("Content-Security-Policy").Single());
            Assert.Contains("frame-ancestors 'none'", response.Headers.GetValues("Content-Security-Policy").Single());
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
            Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        }
    }

    [Fact]
    public async Task AnonymousRequestsAreRefusedEverywhereButSignInHealthAndTheApiDescription()
    {
        var anonymous = server.CreateClient("");
        foreach (var url in new[] { "/api/incidents", "/api/incidents/1", "/tiles/incidents/10/838/384.mvt", "/api/situation/summary", "/api/roads", "/api/admin/audit", "/hubs/live/negotiate?negotiateVersion=1" })
        {
            var response = url.Contains("negotiate", StringComparison.Ordinal) ? await anonymous.PostAsync(url, null) : await anonymous.GetAsync(url);
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{url}: {(int)response.StatusCode}");
        }
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/health")).StatusCode);
    }

    [Fact]
    public async Task CrossOriginRequestsGetNoCorsHeadersAndTheHubRefusesForeignOrigins()
    {
        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/api/incidents");
        preflight.Headers.Add("Origin", "https://evil.example");
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        var response = await server.CreateClient().SendAsync(preflight);
        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));

        using var negotiate = new HttpRequestMessage(HttpMethod.Post, "/hubs/live/negotiate?negotiateVersion=1");
        negotiate.Headers.Add("Origin", "https://evil.example");
        Assert.Equal(HttpStatusCode.Forbidden, (await server.CreateClient().SendAsync(negotiate)).StatusCode);
    }

    [Fact]
    public async Task SignInIsRateLimitedPerClientWithRetryAfter()
    {
        var anonymous = server.CreateClient("");
        HttpResponseMessage? last = null;
        for (var i = 0; i < 12; i++) last = await anonymous.PostAsync("/api/auth/sign-in", Raw("{\"username\":\"flood\",\"password\":\"flood flood flood\"}"));
        Assert.Equal(HttpStatusCode.TooManyRequests, last!.StatusCode);
        Assert.True(last.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Equal("application/problem+json", last.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task ServerErrorsRevealNoInternals()
    {
        // a tile request whose SQL cannot run (the table is gone) must fail without stack traces
        await server.Database.ExecuteAsync("ALTER TABLE roads RENAME TO roads_away");
        try
        {
            var response = await server.CreateClient().GetAsync("/tiles/roads/14/13421/6154.mvt");
            Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
            var text = await response.Content.ReadAsStringAsync();
            Assert.DoesNotContain("roads_away", text);
            Assert.DoesNotContain("   at ", text);
            Assert.DoesNotContain("Npgsql", text);
        }
        finally
        {
            await server.Database.ExecuteAsync("ALTER TABLE roads_away RENAME TO roads");
        }
    }
}
