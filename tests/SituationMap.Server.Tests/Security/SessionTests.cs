using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SituationMap.Server.Accounts;
using SituationMap.Testing;
using static SituationMap.Testing.Api;

namespace SituationMap.Server.Tests.Security;

/// <summary>A server whose sessions end after 2 s without a request, so the idle timeout can be observed.</summary>
public sealed class ShortSessionServer : ServerFixture
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string> { ["Auth:IdleTimeout"] = "00:00:02", ["Auth:SignInsPerMinute"] = "1000" };
}

public sealed class SessionTests(ShortSessionServer server) : IClassFixture<ShortSessionServer>
{
    /// <summary>A browser-like client: keeps cookies, no bearer token.</summary>
    private HttpClient Browser() => new(new HttpClientHandler { CookieContainer = new CookieContainer(), UseCookies = true }) { BaseAddress = server.BaseAddress };

    private static async Task<(HttpResponseMessage Response, string? Csrf)> SignInAsync(HttpClient browser, string username, string password)
    {
        var response = await browser.PostAsync("/api/auth/sign-in", Raw(JsonSerializer.Serialize(new { username, password })));
        var csrf = response.IsSuccessStatusCode ? (await response.JsonAsync()).GetProperty("csrf_token").GetString() : null;
        return (response, csrf);
    }

    [Fact]
    public async Task ABrowserSignsInWithAnHttpOnlySameSiteCookieAndWritesOnlyWithTheAntiForgeryToken()
    {
        await server.CreateTokenAsync("browser-dispatcher", [Roles.Dispatcher], []);
        var browser = Browser();
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/api/incidents")).StatusCode);
        var (signIn, csrf) = await SignInAsync(browser, "browser-dispatcher", ServerFixture.Password);
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        var cookie = signIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("situationmap.session=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        var session = await signIn.JsonAsync();
        Assert.Equal(["read", "incidents:write", "units:write"], session.GetProperty("permissions").EnumerateArray().Select(p => p.GetString()));

        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/api/incidents?limit=1")).StatusCode);
        var forged = await browser.PostAsync("/api/incidents", Body(Incident()));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.EndsWith("/csrf", (await forged.JsonAsync()).GetProperty("type").GetString());
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/incidents") { Content = Body(Incident()) };
        request.Headers.Add("X-CSRF-TOKEN", csrf);
        Assert.Equal(HttpStatusCode.Created, (await browser.SendAsync(request)).StatusCode);
    }

    [Fact]
    public async Task FiveWrongPasswordsLockTheAccountEvenAgainstTheRightOne()
    {
        await server.CreateTokenAsync("lock-me", [Roles.Viewer], []);
        var browser = Browser();
        for (var i = 0; i < 5; i++) Assert.Equal(HttpStatusCode.Unauthorized, (await SignInAsync(browser, "lock-me", "not the password " + i)).Response.StatusCode);
        var (locked, _) = await SignInAsync(browser, "lock-me", ServerFixture.Password);
        Assert.Equal(HttpStatusCode.Unauthorized, locked.StatusCode);
        Assert.Equal(AuthApi.SignInFailed, (await locked.JsonAsync()).GetProperty("detail").GetString());
        Assert.True(await server.Database.ScalarAsync("SELECT count(*) FROM audit_log WHERE action = 'locked_out'") >= 1);
    }

    /// <summary>Unknown account, wrong password, locked account, disabled account: one answer, so nobody learns from
    /// it (or from how long it took) whether an account exists. The audit trail tells them apart.</summary>
    [Fact]
    public async Task EveryFailedSignInGetsTheSameAnswerWhetherOrNotTheAccountExists()
    {
        await server.CreateTokenAsync("same-wrong", [Roles.Viewer], []);
        await server.CreateTokenAsync("same-locked", [Roles.Viewer], []);
        await server.CreateTokenAsync("same-disabled", [Roles.Viewer], []);
        var browser = Browser();
        for (var i = 0; i < 5; i++) await SignInAsync(browser, "same-locked", "not the password " + i);
        await server.Database.ExecuteAsync("UPDATE accounts SET disabled = true WHERE username = 'same-disabled'");

        async Task<(HttpStatusCode Status, string Body, TimeSpan Took)> AttemptAsync(string username, string password)
        {
            var watch = System.Diagnostics.Stopwatch.StartNew();
            var (response, _) = await SignInAsync(Browser(), username, password);
            watch.Stop();
            var body = System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
            body.Remove("trace_id");
            return (response.StatusCode, body.ToJsonString(), watch.Elapsed);
        }
        var answers = new[]
        {
            await AttemptAsync("same-nobody", "whatever password"),
            await AttemptAsync("same-wrong", "not the password"),
            await AttemptAsync("same-locked", ServerFixture.Password),
            await AttemptAsync("same-disabled", ServerFixture.Password),
        };
        Assert.All(answers, a => Assert.Equal(HttpStatusCode.Unauthorized, a.Status));
        Assert.Single(answers.Select(a => a.Body).Distinct());
        Assert.Contains(AuthApi.SignInFailed, answers[0].Body);
        // the same work: the password hash is checked in every case (PBKDF2, 100,000 iterations: milliseconds, not
        // microseconds), so none of them answers markedly faster than the wrong password does
        var wrong = answers[1].Took;
        Assert.All(answers, a => Assert.True(a.Took > wrong / 4, $"{a.Took.TotalMilliseconds} ms against {wrong.TotalMilliseconds} ms for a wrong password"));
        Assert.Equal(1, await server.Database.ScalarAsync("SELECT count(*) FROM audit_log WHERE action = 'sign_in_failed' AND detail->>'result' = 'Disabled'"));
    }

    [Fact]
    public async Task ASessionEndsAfterTheIdleTimeoutAndOnSignOut()
    {
        await server.CreateTokenAsync("idle-viewer", [Roles.Viewer], []);
        var browser = Browser();
        await SignInAsync(browser, "idle-viewer", ServerFixture.Password);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/api/auth/me")).StatusCode);
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/api/auth/me")).StatusCode);

        var (signIn, csrf) = await SignInAsync(browser, "idle-viewer", ServerFixture.Password);
        // a copy of the session cookie, taken before signing out (as a thief would): not in the browser's cookie jar,
        // so deleting the cookie at sign-out does not touch it; only the server can end it
        var cookie = signIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("situationmap.session=", StringComparison.Ordinal)).Split(';')[0];
        using var copy = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = server.BaseAddress };
        copy.DefaultRequestHeaders.Add("Cookie", cookie);
        Assert.Equal(HttpStatusCode.OK, (await copy.GetAsync("/api/auth/me")).StatusCode);
        using var signOut = new HttpRequestMessage(HttpMethod.Post, "/api/auth/sign-out");
        signOut.Headers.Add("X-CSRF-TOKEN", csrf);
        Assert.Equal(HttpStatusCode.NoContent, (await browser.SendAsync(signOut)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/api/auth/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await copy.GetAsync("/api/auth/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await copy.GetAsync("/api/incidents?limit=1")).StatusCode);
        Assert.Equal(1, await server.Database.ScalarAsync(
            "SELECT count(*) FROM audit_log WHERE action = 'sign_out' AND feature_id = (SELECT id FROM accounts WHERE username = 'idle-viewer')"));
        // signing in again works as before
        Assert.Equal(HttpStatusCode.OK, (await SignInAsync(Browser(), "idle-viewer", ServerFixture.Password)).Response.StatusCode);
    }

    [Fact]
    public async Task ChangingAnAccountEndsItsSessionsAndRevokingATokenStopsIt()
    {
        var token = await server.CreateTokenAsync("revoke-me", [Roles.Viewer], []);
        var browser = Browser();
        await SignInAsync(browser, "revoke-me", ServerFixture.Password);
        var admin = server.CreateClient();
        var account = (await (await admin.GetAsync("/api/admin/accounts")).JsonAsync()).EnumerateArray().Single(a => a.GetProperty("username").GetString() == "revoke-me");
        var update = await admin.PutAsync($"/api/admin/accounts/{account.GetProperty("id").GetInt64()}", Raw("{\"roles\":[\"viewer\",\"planner\"]}").ToJsonNode());
        Assert.Equal(HttpStatusCode.OK, update.StatusCode);
        await Task.Delay(TimeSpan.FromSeconds(16)); // the server rechecks a session's account every 15 s at most
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/api/auth/me")).StatusCode);

        var apiClient = server.CreateClient(token);
        Assert.Equal(HttpStatusCode.OK, (await apiClient.GetAsync("/api/auth/me")).StatusCode);
        var tokens = await (await admin.GetAsync($"/api/admin/accounts/{account.GetProperty("id").GetInt64()}/tokens")).JsonAsync();
        foreach (var t in tokens.EnumerateArray()) await admin.DeleteAsync($"/api/admin/tokens/{t.GetProperty("id").GetInt64()}");
        Assert.Equal(HttpStatusCode.Unauthorized, (await apiClient.GetAsync("/api/auth/me")).StatusCode);
    }

    [Fact]
    public async Task AdminsCreateAccountsWithGeneratedPasswordsAndWeakOnesAreRefused()
    {
        var admin = server.CreateClient();
        var created = await admin.PostAsync("/api/admin/accounts", Raw("{\"username\":\"New.Planner\",\"roles\":[\"planner\"],\"districts\":[]}"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.JsonAsync();
        Assert.Equal("new.planner", body.GetProperty("account").GetProperty("username").GetString());
        var password = body.GetProperty("password").GetString()!;
        Assert.True(password.Length >= 16);
        Assert.Equal(HttpStatusCode.OK, (await SignInAsync(Browser(), "new.planner", password)).Response.StatusCode);

        var weak = await admin.PostAsync("/api/admin/accounts", Raw("{\"username\":\"weak\",\"roles\":[\"viewer\"],\"password\":\"short\"}"));
        Assert.Contains(Errors(await weak.JsonAsync()), e => e.StartsWith("/password: must be at least 12", StringComparison.Ordinal));
        var badRole = await admin.PostAsync("/api/admin/accounts", Raw("{\"username\":\"emperor\",\"roles\":[\"emperor\"]}"));
        Assert.Contains(Errors(await badRole.JsonAsync()), e => e.StartsWith("/roles/0: 'emperor' is not one of", StringComparison.Ordinal));
    }
}

internal static class ContentExtensions
{
    public static System.Text.Json.Nodes.JsonNode ToJsonNode(this StringContent content) =>
        System.Text.Json.Nodes.JsonNode.Parse(content.ReadAsStringAsync().GetAwaiter().GetResult())!;
}

/// <summary>A server that lets one address try to sign in only three times a minute.</summary>
public sealed class TightSignInServer : ServerFixture
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string> { ["Auth:SignInsPerMinute"] = "3" };
}

public sealed class SignInRateLimitTests(TightSignInServer server) : IClassFixture<TightSignInServer>
{
    [Fact]
    public async Task SignInAttemptsOverTheLimitAreRefusedWithRetryAfterBeforeThePasswordIsChecked()
    {
        await server.CreateTokenAsync("rate-limited", [Roles.Viewer], []);
        using var browser = new HttpClient { BaseAddress = server.BaseAddress };
        StringContent Attempt(string password) => Raw(JsonSerializer.Serialize(new { username = "rate-limited", password }));

        for (var i = 0; i < 3; i++)
            Assert.Equal(HttpStatusCode.Unauthorized, (await browser.PostAsync("/api/auth/sign-in", Attempt("guess " + i))).StatusCode);
        var refused = await browser.PostAsync("/api/auth/sign-in", Attempt(ServerFixture.Password));

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.EndsWith("/rate-limited", (await refused.JsonAsync()).GetProperty("type").GetString());
        var retryAfter = int.Parse(refused.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 1, 60);
        // Refused before the password is checked: the right password sent while refused neither signed in nor
        // counted as an attempt.
        Assert.Equal(3L, await server.Database.ScalarAsync("SELECT count(*) FROM audit_log WHERE action = 'sign_in_failed'"));
        Assert.Equal(0L, await server.Database.ScalarAsync("SELECT count(*) FROM audit_log WHERE action = 'sign_in'"));
    }
}
