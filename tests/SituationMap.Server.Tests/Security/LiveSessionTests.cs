using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using SituationMap.Server.Accounts;
using SituationMap.Server.Live;
using SituationMap.Testing;
using static SituationMap.Testing.Api;

namespace SituationMap.Server.Tests.Security;

/// <summary>Districts SA (west) and SB (east); open live connections are rechecked every second; sessions idle out after 4 s.</summary>
public sealed class RecheckedServer : ServerFixture
{
    public const double West = 118.00, East = 118.02, Lat = 41.00;

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Auth:LiveRecheck"] = "00:00:01",
        ["Auth:IdleTimeout"] = "00:00:04",
        ["Auth:SignInsPerMinute"] = "1000",
    };

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var client = CreateClient();
        await client.CreateAsync("districts", Feature(Square(West, Lat, 0.0099), new JsonObject { ["code"] = "SA", ["name"] = "西区", ["name_en"] = "West" }));
        await client.CreateAsync("districts", Feature(Square(East, Lat, 0.0099), new JsonObject { ["code"] = "SB", ["name"] = "东区", ["name_en"] = "East" }));
    }
}

/// <summary>An open live connection is not trusted for ever: revoked, disabled, changed or signed-out accounts lose it.</summary>
public sealed class LiveSessionTests(RecheckedServer server) : IClassFixture<RecheckedServer>
{
    private const double West = RecheckedServer.West, East = RecheckedServer.East, Lat = RecheckedServer.Lat;
    private readonly HttpClient _admin = server.CreateClient();

    private static Task Closed(HubConnection connection)
    {
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.Closed += _ =>
        {
            closed.TrySetResult();
            return Task.CompletedTask;
        };
        return closed.Task;
    }

    private async Task<long> AccountIdAsync(string username) =>
        await server.Database.ScalarAsync($"SELECT id FROM accounts WHERE username = '{username}'");

    [Fact]
    public async Task RevokingATokenClosesTheConnectionsOpenedWithIt()
    {
        var token = await server.CreateTokenAsync("hub-revoke", [Roles.Viewer], []);
        await using var hub = await server.ConnectHubAsync(token: token);
        var closed = Closed(hub);
        var id = (await (await _admin.GetAsync($"/api/admin/accounts/{await AccountIdAsync("hub-revoke")}/tokens")).JsonAsync()).EnumerateArray().Single().GetProperty("id").GetInt64();
        Assert.Equal(HttpStatusCode.NoContent, (await _admin.DeleteAsync($"/api/admin/tokens/{id}")).StatusCode);
        await closed.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(HubConnectionState.Disconnected, hub.State);
        await Assert.ThrowsAnyAsync<Exception>(() => server.ConnectHubAsync(token: token)); // and it cannot come back
    }

    [Fact]
    public async Task ATokenRevokedOrAnAccountDisabledElsewhereIsNoticedByThePeriodicRecheck()
    {
        // written straight into the database, as another node of a cluster would: no local notice, only the recheck
        var token = await server.CreateTokenAsync("hub-elsewhere", [Roles.Viewer], []);
        await using var hub = await server.ConnectHubAsync(token: token);
        var closed = Closed(hub);
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        Assert.Equal(HubConnectionState.Connected, hub.State); // a valid connection survives the rechecks
        await server.Database.ExecuteAsync($"UPDATE api_tokens SET revoked_at = now() WHERE account_id = {await AccountIdAsync("hub-elsewhere")}");
        await closed.WaitAsync(TimeSpan.FromSeconds(5));

        var other = await server.CreateTokenAsync("hub-disabled", [Roles.Viewer], []);
        await using var hub2 = await server.ConnectHubAsync(token: other);
        var closed2 = Closed(hub2);
        await server.Database.ExecuteAsync("UPDATE accounts SET disabled = true WHERE username = 'hub-disabled'");
        await closed2.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task NarrowingAnAccountsDistrictsClosesItsConnectionAndNothingFromTheLostDistrictArrives()
    {
        var token = await server.CreateTokenAsync("hub-narrow", [Roles.Dispatcher], ["SA", "SB"]);
        await using var hub = await server.ConnectHubAsync(token: token);
        var recorder = new LiveRecorder(hub);
        var closed = Closed(hub);
        await hub.InvokeAsync<SubscriptionAccepted>("Subscribe", new LiveSubscription(null, ["incidents"], null, null));
        var before = await _admin.CreateAsync("incidents", Incident(East, Lat));
        await recorder.WaitUntilAsync(r => r.Events.Any(e => e.Change.Id == before.Id()), "the SB incident while SB is still the account's");

        var update = await _admin.PutAsync($"/api/admin/accounts/{await AccountIdAsync("hub-narrow")}", Raw("{\"districts\":[\"SA\"]}"));
        Assert.Equal(HttpStatusCode.OK, update.StatusCode);
        var lost = await _admin.CreateAsync("incidents", Incident(East, Lat));
        await closed.WaitAsync(TimeSpan.FromSeconds(5));
        var afterwards = await recorder.QuietAsync(0, TimeSpan.FromSeconds(1.5));
        Assert.DoesNotContain(afterwards, e => e.Change.Id == lost.Id());

        // connecting again gives the narrowed scope
        await using var again = await server.ConnectHubAsync(token: token);
        var now = new LiveRecorder(again);
        await again.InvokeAsync<SubscriptionAccepted>("Subscribe", new LiveSubscription(null, ["incidents"], null, null));
        var east = await _admin.CreateAsync("incidents", Incident(East, Lat));
        var west = await _admin.CreateAsync("incidents", Incident(West, Lat));
        await now.WaitUntilAsync(r => r.Events.Any(e => e.Change.Id == west.Id()), "the SA incident");
        Assert.DoesNotContain(now.Events, e => e.Change.Id == east.Id() || e.Change.Id == lost.Id());
    }

    [Fact]
    public async Task ABrowsersLiveConnectionClosesOnSignOutAndWhenTheSessionIdlesOut()
    {
        await server.CreateTokenAsync("hub-browser", [Roles.Viewer], []);
        async Task<(CookieContainer Jar, string Csrf)> SignInAsync()
        {
            var jar = new CookieContainer();
            using var browser = new HttpClient(new HttpClientHandler { CookieContainer = jar }) { BaseAddress = server.BaseAddress };
            var response = await browser.PostAsync("/api/auth/sign-in", Raw(JsonSerializer.Serialize(new { username = "hub-browser", password = ServerFixture.Password })));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return (jar, (await response.JsonAsync()).GetProperty("csrf_token").GetString()!);
        }
        async Task<HubConnection> ConnectAsync(CookieContainer jar)
        {
            var connection = new HubConnectionBuilder().WithUrl(new Uri(server.BaseAddress, "/hubs/live"), o =>
            {
                o.Transports = Microsoft.AspNetCore.Http.Connections.HttpTransportType.WebSockets;
                o.Cookies = jar;
            }).AddJsonProtocol(o => SituationMap.Server.Infrastructure.Json.ApiJson.Configure(o.PayloadSerializerOptions)).Build();
            await connection.StartAsync();
            return connection;
        }

        // idle: nothing renews the session, so the connection closes when it expires (4 s)
        var (idleJar, _) = await SignInAsync();
        await using var idle = await ConnectAsync(idleJar);
        var idleClosed = Closed(idle);
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Equal(HubConnectionState.Connected, idle.State);
        await idleClosed.WaitAsync(TimeSpan.FromSeconds(8));

        // sign-out (from this or another browser of the account) closes it at once
        var (jar, csrf) = await SignInAsync();
        await using var live = await ConnectAsync(jar);
        var closed = Closed(live);
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = jar }) { BaseAddress = server.BaseAddress };
        using var signOut = new HttpRequestMessage(HttpMethod.Post, "/api/auth/sign-out");
        signOut.Headers.Add("X-CSRF-TOKEN", csrf);
        Assert.Equal(HttpStatusCode.NoContent, (await browser.SendAsync(signOut)).StatusCode);
        await closed.WaitAsync(TimeSpan.FromSeconds(3));
    }

    /// <summary>The dashboard's polling (marked X-SituationMap-Background: 1) is answered but does not keep the
    /// session alive: an unattended page times out like a closed one; what a person does still extends it.</summary>
    [Fact]
    public async Task BackgroundRequestsDoNotExtendTheSessionAndAreRefusedOnceItIdledOut()
    {
        await server.CreateTokenAsync("idle-poller", [Roles.Viewer], []);
        var poller = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = server.BaseAddress };
        var person = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = server.BaseAddress };
        foreach (var browser in new[] { poller, person })
            Assert.Equal(HttpStatusCode.OK, (await browser.PostAsync("/api/auth/sign-in", Raw(JsonSerializer.Serialize(new { username = "idle-poller", password = ServerFixture.Password })))).StatusCode);
        var started = DateTime.UtcNow;
        async Task<HttpResponseMessage> PollAsync()
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/situation/summary");
            request.Headers.Add(AuthSetup.BackgroundHeader, "1");
            return await poller.SendAsync(request);
        }
        // past half the idle timeout (4 s) a request renews the session cookie, but not a background one
        await Task.Delay(TimeSpan.FromSeconds(2.3));
        var poll = await PollAsync();
        Assert.Equal(HttpStatusCode.OK, poll.StatusCode);
        Assert.False(poll.Headers.TryGetValues("Set-Cookie", out var renewed) && renewed.Any(c => c.StartsWith("situationmap.session=", StringComparison.Ordinal)));
        var used = await person.GetAsync("/api/situation/summary");
        Assert.Equal(HttpStatusCode.OK, used.StatusCode);
        Assert.Contains(used.Headers.GetValues("Set-Cookie"), c => c.StartsWith("situationmap.session=", StringComparison.Ordinal));
        var wait = started.AddSeconds(4.8) - DateTime.UtcNow;
        if (wait > TimeSpan.Zero) await Task.Delay(wait);
        var late = await PollAsync();
        Assert.Equal(HttpStatusCode.Unauthorized, late.StatusCode);
        Assert.Equal("application/problem+json", late.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, (await person.GetAsync("/api/auth/me")).StatusCode);
    }
}
