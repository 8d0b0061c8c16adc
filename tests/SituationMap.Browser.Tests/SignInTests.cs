using SituationMap.Testing;

namespace SituationMap.Browser.Tests;

/// <summary>The sign-in page and what each role sees, in the real browser against the real server.</summary>
[Collection("Dashboard")]
public sealed class SignInTests(DashboardFixture fixture)
{
    private readonly HttpClient _api = fixture.CreateClient();

    [Fact]
    public async Task WithoutASessionThePageShowsOnlyTheSignInFormAndNoData()
    {
        await using var page = await fixture.OpenAsync(locale: "en-US", account: null);
        await page.Page.Locator("#sign-in-username").WaitForAsync();
        Assert.True(await page.EvalAsync<bool>("!document.querySelector('#sign-in').hidden"));
        Assert.True(await page.EvalAsync<bool>("window.__situationMap === undefined"));
        await page.Page.WaitForTimeoutAsync(500);
        // the page asked for nothing but its own files, who is signed in, and the live position (refused)
        var data = page.Requests.Where(u => u.Contains("/api/", StringComparison.Ordinal) || u.Contains("/tiles/", StringComparison.Ordinal)).ToList();
        Assert.DoesNotContain(data, u => u.Contains("/tiles/", StringComparison.Ordinal));
        Assert.All(page.FailedResponses, r => Assert.Equal(401, r.Status));
        Assert.Contains("Sign in", await page.TextAsync("#sign-in .sign-in-submit"));
    }

    [Fact]
    public async Task AWrongPasswordIsRefusedWithAMessageAndTheRightOneOpensTheDashboardUntilSignOut()
    {
        await using var page = await fixture.OpenAsync(locale: "en-US", account: null);
        await page.Page.Locator("#sign-in-username").FillAsync(DashboardFixture.OperatorName);
        await page.Page.Locator("#sign-in-password").FillAsync("not the password");
        await page.Page.Locator("#sign-in .sign-in-submit").ClickAsync();
        await page.WaitForAsync("document.querySelector('#sign-in .sign-in-error').textContent.length > 0", "the sign-in error");
        Assert.Equal("Wrong username or password.", await page.TextAsync("#sign-in .sign-in-error"));
        Assert.True(await page.EvalAsync<bool>("window.__situationMap === undefined"));

        await page.Page.Locator("#sign-in-password").FillAsync(ServerFixture.Password);
        await page.Page.Locator("#sign-in .sign-in-submit").ClickAsync();
        await page.WaitForDashboardAsync();
        await page.WaitForAsync("sm.connection()?.phase === 'live'", "the live connection");
        Assert.True(await page.EvalAsync<bool>("document.querySelector('#sign-in').hidden"));
        Assert.Equal(DashboardFixture.OperatorName, await page.TextAsync("#account-name"));
        Assert.Contains("Commander", await page.TextAsync("#account-roles"));

        await page.Page.Locator("#sign-out").ClickAsync();
        await page.Page.Locator("#sign-in-username").WaitForAsync();
        await page.WaitForAsync("!document.querySelector('#sign-in').hidden && window.__situationMap === undefined", "the sign-in page after sign-out");
        // the session is gone on the server too
        var me = await page.Page.APIRequest.GetAsync(new Uri(fixture.BaseAddress, "/api/auth/me").ToString());
        Assert.Equal(401, me.Status);
    }

    [Fact]
    public async Task AViewerSeesTheSituationButNoEditControls()
    {
        var id = (await _api.CreateAsync("incidents", Api.Incident(114.9071, 40.8071, "fraud", 2))).Id();
        await using var page = await fixture.OpenAsync(locale: "en-US", account: DashboardFixture.ViewerName);
        await page.WaitForAsync($"sm.feedIds().includes({id})", "the incident in the viewer's feed");
        Assert.Equal(0, await page.Page.Locator(".new-incident").CountAsync());
        Assert.Contains("Viewer", await page.TextAsync("#account-roles"));

        await page.Page.Locator($"#feed .feed-item[data-id='{id}']").ClickAsync();
        await page.WaitForAsync("!document.querySelector('#details').hidden && document.querySelector('#details .props') !== null", "the details panel");
        Assert.Contains($"#{id}", await page.TextAsync("#details .details-kind"));
        Assert.Equal(0, await page.Page.Locator("#details .btn-status").CountAsync());
        Assert.Equal(0, await page.Page.Locator("#details .actions").CountAsync());

        // and the server refuses the change the page does not offer
        var token = await page.EvalAsync<string>("sm.session().csrf_token");
        var refused = await page.EvalAsync<int>($$"""
            fetch('/api/incidents/{{id}}/status', { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-CSRF-TOKEN': '{{token}}' },
              body: JSON.stringify({ status: 'dispatched', version: 1 }) }).then((r) => r.status)
            """);
        Assert.Equal(403, refused);
    }
}
