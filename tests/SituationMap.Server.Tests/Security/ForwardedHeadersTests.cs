using System.Net;
using System.Text.Json;
using SituationMap.Server.Accounts;
using SituationMap.Testing;
using static SituationMap.Testing.Api;

namespace SituationMap.Server.Tests.Security;

/// <summary>Behind the TLS proxy (default: a proxy on this host, loopback) X-Forwarded-For/-Proto name the real client
/// and scheme: the session and anti-forgery cookies are Secure, the audit trail and the sign-in limiter see the client.</summary>
public sealed class ForwardedHeadersTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private static HttpRequestMessage SignIn(string username, string? forwardedFor, string? proto)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/sign-in")
        {
            Content = Raw(JsonSerializer.Serialize(new { username, password = ServerFixture.Password })),
        };
        if (forwardedFor is not null) request.Headers.Add("X-Forwarded-For", forwardedFor);
        if (proto is not null) request.Headers.Add("X-Forwarded-Proto", proto);
        return request;
    }

    internal static List<string> Cookies(HttpResponseMessage response, string name) =>
        response.Headers.GetValues("Set-Cookie").Where(c => c.StartsWith(name + "=", StringComparison.Ordinal)).ToList();

    [Fact]
    public async Task ARequestForwardedOverHttpsByTheLocalProxyGetsSecureCookiesAndIsAuditedWithTheClientsAddress()
    {
        await server.CreateTokenAsync("behind-proxy", [Roles.Viewer], []);
        using var client = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = server.BaseAddress };
        var response = await client.SendAsync(SignIn("behind-proxy", "203.0.113.7", "https"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("secure", Assert.Single(Cookies(response, "situationmap.session")), StringComparison.OrdinalIgnoreCase);
        Assert.All(Cookies(response, "situationmap.csrf"), c => Assert.Contains("secure", c, StringComparison.OrdinalIgnoreCase));
        Assert.NotEmpty(Cookies(response, "situationmap.csrf"));
        Assert.Equal(1, await server.Database.ScalarAsync(
            "SELECT count(*) FROM audit_log WHERE action = 'sign_in' AND client_ip = '203.0.113.7' AND detail->>'username' = 'behind-proxy'"));

        // plain HTTP without the proxy's headers: no Secure flag (the browser would drop it), the connection's address
        var plain = await client.SendAsync(SignIn("behind-proxy", null, null));
        Assert.DoesNotContain("secure", Assert.Single(Cookies(plain, "situationmap.session")), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(1, await server.Database.ScalarAsync(
            "SELECT count(*) FROM audit_log WHERE action = 'sign_in' AND client_ip = '127.0.0.1' AND detail->>'username' = 'behind-proxy'"));
    }
}

/// <summary>A server that trusts only the proxy 10.9.8.7 — so requests from loopback are not from a proxy.</summary>
public sealed class RemoteProxyServer : ServerFixture
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string> { ["Proxy:KnownProxies:0"] = "10.9.8.7" };
}

public sealed class UntrustedForwardedHeadersTests(RemoteProxyServer server) : IClassFixture<RemoteProxyServer>
{
    [Fact]
    public async Task ForwardedHeadersFromAnAddressThatIsNotATrustedProxyAreIgnored()
    {
        await server.CreateTokenAsync("spoofer", [Roles.Viewer], []);
        using var client = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = server.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/sign-in")
        {
            Content = Raw(JsonSerializer.Serialize(new { username = "spoofer", password = ServerFixture.Password })),
        };
        request.Headers.Add("X-Forwarded-For", "198.51.100.23");
        request.Headers.Add("X-Forwarded-Proto", "https");
        var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("secure", Assert.Single(ForwardedHeadersTests.Cookies(response, "situationmap.session")), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(0, await server.Database.ScalarAsync("SELECT count(*) FROM audit_log WHERE client_ip = '198.51.100.23'"));
        Assert.Equal(1, await server.Database.ScalarAsync(
            "SELECT count(*) FROM audit_log WHERE action = 'sign_in' AND client_ip = '127.0.0.1' AND detail->>'username' = 'spoofer'"));
    }
}
