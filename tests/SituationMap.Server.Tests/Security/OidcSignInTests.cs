using System.Net;
using SituationMap.Server.Accounts;
using SituationMap.Testing;

namespace SituationMap.Server.Tests.Security;

/// <summary>A server configured to sign in through the local test identity provider.</summary>
public sealed class OidcServer : ServerFixture
{
    public TestOidcIssuer Issuer { get; private set; } = null!;

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Auth:Oidc:Authority"] = Issuer.Authority.ToString().TrimEnd('/'),
        ["Auth:Oidc:ClientId"] = TestOidcIssuer.ClientId,
        ["Auth:Oidc:ClientSecret"] = TestOidcIssuer.ClientSecret,
        ["Auth:Oidc:RequireHttpsMetadata"] = "false",
        ["Auth:Oidc:DisplayName"] = "Test agency",
    };

    public override async Task InitializeAsync()
    {
        Issuer = await TestOidcIssuer.StartAsync();
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Issuer.DisposeAsync();
    }
}

public sealed class OidcSignInTests(OidcServer server) : IClassFixture<OidcServer>
{
    private HttpClient Browser() => new(new HttpClientHandler { CookieContainer = new CookieContainer(), UseCookies = true, AllowAutoRedirect = true })
    {
        BaseAddress = server.BaseAddress,
    };

    [Fact]
    public async Task AKnownPersonSignsInThroughTheIdentityProviderWithTheirLocalRolesAndDistricts()
    {
        await server.CreateTokenAsync("oidc-planner", [Roles.Planner], []);
        server.Issuer.User = "OIDC-Planner";
        var browser = Browser();
        var providers = await (await browser.GetAsync("/api/auth/providers")).JsonAsync();
        Assert.True(providers.GetProperty("oidc").GetBoolean());
        Assert.Equal("Test agency", providers.GetProperty("oidc_name").GetString());

        var landing = await browser.GetAsync("/api/auth/oidc/sign-in?return_url=/api/auth/me");
        Assert.Equal(HttpStatusCode.OK, landing.StatusCode);
        var me = await landing.JsonAsync();
        Assert.Equal("oidc-planner", me.GetProperty("username").GetString());
        Assert.Contains("planning:write", me.GetProperty("permissions").EnumerateArray().Select(p => p.GetString()));
        Assert.True(await server.Database.ScalarAsync("SELECT count(*) FROM audit_log WHERE action = 'sign_in' AND detail->>'method' = 'oidc' AND detail->>'username' = 'oidc-planner'") == 1);
    }

    [Fact]
    public async Task SomeoneTheProviderKnowsButSituationMapDoesNotGetsNothing()
    {
        server.Issuer.User = "stranger";
        var browser = Browser();
        var landing = await browser.GetAsync("/api/auth/oidc/sign-in?return_url=/api/auth/me");
        Assert.EndsWith("sign_in_failed=1", landing.RequestMessage!.RequestUri!.Query);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/api/auth/me")).StatusCode);
        Assert.True(await server.Database.ScalarAsync("SELECT count(*) FROM audit_log WHERE action = 'sign_in_failed' AND detail->>'username' = 'stranger'") == 1);
    }

    [Fact]
    public async Task ReturnUrlsCannotLeaveTheServer()
    {
        await server.CreateTokenAsync("oidc-viewer", [Roles.Viewer], []);
        server.Issuer.User = "oidc-viewer";
        var browser = Browser();
        var landing = await browser.GetAsync("/api/auth/oidc/sign-in?return_url=//evil.example/x");
        Assert.Equal(server.BaseAddress.Authority, landing.RequestMessage!.RequestUri!.Authority);
        Assert.Equal("/", landing.RequestMessage.RequestUri.AbsolutePath);
    }
}
