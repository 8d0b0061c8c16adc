using System.Net;
using System.Text.Json;
using Microsoft.Playwright;
using SituationMap.Testing;

namespace SituationMap.Browser.Tests;

/// <summary>The command-center dashboard in headless Chromium against the real server and the demo city.</summary>
[Collection("Dashboard")]
public sealed class DashboardTests(DashboardFixture fixture)
{
    private readonly HttpClient _api = fixture.CreateClient();

    [Fact]
    public async Task ThePageLoadsWithoutConsoleErrorsAndRequestsNothingFromAnyOtherHost()
    {
        await using var page = await fixture.OpenAsync();
        await page.WaitForAsync("sm.connection()?.phase === 'live'", "the live connection");
        await page.Page.WaitForTimeoutAsync(1500); // let late requests (summary, fonts, labels) happen too

        Assert.Empty(page.ConsoleErrors);
        Assert.Empty(page.FailedResponses);
        var requests = page.Requests.ToArray();
        Assert.Contains(requests, u => u.Contains("/tiles/incidents/", StringComparison.Ordinal));
        Assert.Contains(requests, u => u.Contains("/api/situation/summary", StringComparison.Ordinal));
        var foreign = requests.Where(u => !IsLocal(u)).Distinct().ToList();
        Assert.True(foreign.Count == 0, "requests to other hosts: " + string.Join(", ", foreign));
    }

    [Fact]
    public async Task TheMapRendersEveryDemoLayerFromTheServersTiles()
    {
        await using var page = await fixture.OpenAsync();
        var counts = await page.EvalAsync<Dictionary<string, int>>("sm.renderedCounts()");
        foreach (var layer in new[] { "districts", "roads", "zones", "patrol_routes", "cameras", "incidents", "patrol_units" })
            Assert.True(counts[layer] > 0, $"no {layer} rendered: {JsonSerializer.Serialize(counts)}");
        Assert.Equal(60, await page.EvalAsync<int>("sm.dashboard.map.units.units.size"));

        // closer in: single incidents with ids, camera icons and field-of-view sectors (tile layer camera_views)
        await page.JumpToAsync(Api.Lon, Api.Lat, 15.5);
        Assert.True(await page.EvalAsync<int>("sm.renderedIncidentIds().length") > 0, "no single incidents drawn at z15.5");
        var views = await page.EvalAsync<int>("sm.map.queryRenderedFeatures({ layers: ['camera-views'] }).length");
        var icons = await page.EvalAsync<int>("sm.map.queryRenderedFeatures({ layers: ['cameras-icons'] }).length");
        Assert.True(views > 0 && icons > 0, $"camera sectors {views}, camera icons {icons}");
        var labels = await page.EvalAsync<string[]>("sm.map.queryRenderedFeatures({ layers: ['roads-labels'] }).map(f => f.properties.name)");
        Assert.NotEmpty(labels);
        Assert.True(await page.EvalAsync<int>("sm.renderedCounts().buildings") > 0, "no building footprints at street zoom");
    }

    [Fact]
    public async Task AnIncidentCreatedThroughTheApiAppearsOnTheMapAndInTheFeedAndFollowsItsStatusUntilDeleted()
    {
        await using var page = await fixture.OpenAsync();
        await page.WaitForAsync("sm.connection()?.phase === 'live'", "the live connection");
        await page.EvalAsync<object>("(window.__marker = 'same page', true)");

        var created = await _api.CreateAsync("incidents", Api.Incident(114.9012, 40.8023, "robbery", 4, DateTimeOffset.UtcNow.AddSeconds(-5)));
        var id = created.Id();
        await page.WaitForAsync($"sm.renderedIncident({id}) !== null", "the new incident on the map");
        await page.WaitForAsync($"sm.feedIds().includes({id})", "the new incident in the feed");
        var drawn = (await page.RenderedIncidentAsync(id))!.Value;
        Assert.Equal("robbery", drawn.GetProperty("category").GetString());
        Assert.Equal(4, drawn.GetProperty("severity").GetInt32());
        Assert.Equal(id, (await page.FeedIdsAsync())[0]);
        Assert.Contains("flash", await page.Page.Locator($"#feed .feed-item[data-id='{id}']").GetAttributeAsync("class"));

        var status = await _api.PostAsync($"/api/incidents/{id}/status", Api.Raw("{\"status\":\"dispatched\",\"version\":1}"));
        Assert.Equal(HttpStatusCode.OK, status.StatusCode);
        await page.WaitForAsync($"sm.renderedIncident({id})?.status === 'dispatched'", "the new status on the map");
        await page.WaitForAsync($"document.querySelector(\"#feed .feed-item[data-id='{id}']\")?.dataset.status === 'dispatched'", "the new status in the feed");

        var delete = await _api.DeleteAsync($"/api/incidents/{id}");
        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        await page.WaitForAsync($"sm.renderedIncident({id}) === null && !sm.feedIds().includes({id})", "the incident gone from map and feed");
        Assert.Equal("same page", await page.EvalAsync<string>("window.__marker"));
    }

    [Fact]
    public async Task AfterAServerRestartThePageReconnectsByItselfAndShowsExactlyTheChangedState()
    {
        var kept = (await _api.CreateAsync("incidents", Api.Incident(114.8951, 40.8061, "fraud", 2))).Id();
        var toDelete = (await _api.CreateAsync("incidents", Api.Incident(114.9051, 40.7981, "dispute", 1))).Id();
        await using var page = await fixture.OpenAsync();
        await page.WaitForAsync($"sm.connection()?.phase === 'live' && sm.feedIds().includes({kept}) && sm.feedIds().includes({toDelete})", "the page with both incidents");
        await page.EvalAsync<object>("(window.__marker = 'same page', true)");
        var seqBefore = await page.EvalAsync<long>("sm.stats().lastSeq");

        await fixture.StopServerAsync();
        await page.WaitForAsync("['reconnecting', 'offline'].includes(sm.connection()?.phase)", "the page to notice the server is gone");

        // while the page's server is down, another server process on the same database changes things
        long added;
        await using (var other = await ServerFixture.StartAnotherOnAsync(fixture.Database))
        {
            using var client = other.CreateClient();
            added = (await client.CreateAsync("incidents", Api.Incident(114.8988, 40.8011, "violent", 3))).Id();
            var moved = await client.PostAsync($"/api/incidents/{kept}/status", Api.Raw("{\"status\":\"on_scene\",\"version\":1}"));
            Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
            Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/incidents/{toDelete}")).StatusCode);
        }

        fixture.StartServer();
        await page.WaitForAsync($"sm.connection()?.phase === 'live' && sm.feedIds().includes({added}) && !sm.feedIds().includes({toDelete})", "the page to catch up", 30_000);
        await page.WaitForAsync($"sm.renderedIncident({added}) !== null && sm.renderedIncident({toDelete}) === null && sm.renderedIncident({kept})?.status === 'on_scene'", "the map to show the changes");

        Assert.Equal("same page", await page.EvalAsync<string>("window.__marker"));
        var feed = await page.FeedIdsAsync();
        Assert.Equal(feed.Length, feed.Distinct().Count());
        Assert.Single(feed, x => x == added);
        Assert.Single(feed, x => x == kept);
        Assert.Equal("on_scene", await page.EvalAsync<string>($"document.querySelector(\"#feed .feed-item[data-id='{kept}']\").dataset.status"));
        foreach (var id in new[] { added, kept })
        {
            var drawn = (await page.RenderedIncidentAsync(id))!.Value;
            Assert.Equal(1, drawn.GetProperty("layers").GetArrayLength()); // drawn once: tile copy hidden behind the live overlay
        }
        var stats = await page.EvalAsync<JsonElement>("sm.stats()");
        Assert.True(stats.GetProperty("lastSeq").GetInt64() >= seqBefore + 3);
        Assert.Equal(1, stats.GetProperty("snapshots").GetInt32()); // caught up from the log, no reload of the layers
    }

    [Fact]
    public async Task TheLanguageSwitchChangesTheVisibleStringsAndTheMapLabels()
    {
        await using var page = await fixture.OpenAsync(locale: "zh-CN");
        Assert.Equal("zh-CN", await page.EvalAsync<string>("document.documentElement.lang"));
        Assert.Equal("城市态势感知指挥平台", await page.TextAsync(".brand-title"));
        Assert.Equal("警情动态", await page.TextAsync("#feed .panel-title"));
        await page.WaitForAsync("sm.connection()?.phase === 'live'", "the live connection");
        Assert.Equal("实时", await page.TextAsync(".conn-label"));

        await page.Page.SelectOptionAsync("#language-select", "en");
        Assert.Equal("en", await page.EvalAsync<string>("document.documentElement.lang"));
        Assert.Equal("SituationMap Command Center", await page.TextAsync(".brand-title"));
        Assert.Equal("Incident feed", await page.TextAsync("#feed .panel-title"));
        Assert.Equal("Live", await page.TextAsync(".conn-label"));
        Assert.Equal("Layers", await page.TextAsync("#layers .panel-title"));
        Assert.Equal("en", await page.EvalAsync<string>("sm.map.getGlobalState().lang"));
        Assert.Matches(@"^\d{2}/\d{2}/\d{4}, \d{2}:\d{2}:\d{2}$", await page.TextAsync(".clock"));

        await page.Page.SelectOptionAsync("#language-select", "zh-CN");
        Assert.Equal("警情动态", await page.TextAsync("#feed .panel-title"));
        Assert.Matches(@"^\d{4}/\d{2}/\d{2} \d{2}:\d{2}:\d{2}$", await page.TextAsync(".clock"));
    }

    [Fact]
    public async Task ABrowserThatAsksForEnglishGetsEnglish()
    {
        await using var page = await fixture.OpenAsync(locale: "en-US");
        Assert.Equal("SituationMap Command Center", await page.TextAsync(".brand-title"));
    }

    [Fact]
    public async Task ClickingAFeedItemFliesToTheIncidentAndOpensItsDetailsWithTheStatusWorkflow()
    {
        var id = (await _api.CreateAsync("incidents", Api.Incident(114.9101, 40.8101, "burglary", 3))).Id();
        await using var page = await fixture.OpenAsync(locale: "en-US");
        await page.WaitForAsync($"sm.feedIds().includes({id})", "the incident in the feed");
        await page.Page.Locator($"#feed .feed-item[data-id='{id}']").ClickAsync();
        await page.WaitForAsync("!document.querySelector('#details').hidden", "the details panel");
        await page.WaitForAsync("sm.map.getZoom() > 15 && !sm.map.isMoving()", "the map to fly to the incident");
        Assert.Contains($"#{id}", await page.TextAsync("#details .details-kind"));

        await page.Page.Locator("#details .btn-status[data-status='dispatched']").ClickAsync();
        await page.WaitForAsync($"sm.incident({id})?.properties.status === 'dispatched'", "the status change");
        var current = await (await _api.GetAsync($"/api/incidents/{id}")).JsonAsync();
        Assert.Equal("dispatched", current.GetProperty("properties").GetProperty("status").GetString());
        await page.WaitForAsync("document.querySelector('#details .history li') !== null", "the history in the details panel");
    }

    [Fact]
    public async Task AnIncidentCanBeCreatedFromAMapClick()
    {
        await using var page = await fixture.OpenAsync(locale: "en-US");
        await page.Page.Locator(".new-incident").ClickAsync();
        var box = (await page.Page.Locator("#map").BoundingBoxAsync())!;
        await page.Page.Mouse.ClickAsync(box.X + box.Width / 2, box.Y + box.Height / 2);
        await page.WaitForAsync("document.querySelector('#details form') !== null", "the new-incident form");
        await page.Page.Locator("#details select[name='category']").SelectOptionAsync("fire_hazard");
        await page.Page.Locator("#details select[name='severity']").SelectOptionAsync("3");
        await page.Page.Locator("#details input[name='address']").FillAsync("Browser test street 1");
        await page.Page.Locator("#details button[type='submit']").ClickAsync();
        await page.WaitForAsync("document.querySelector('#details .details-kind')?.textContent.startsWith('Incident #')", "the created incident's details");
        var id = long.Parse((await page.TextAsync("#details .details-kind"))["Incident #".Length..].Replace(",", "", StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture);
        var stored = await (await _api.GetAsync($"/api/incidents/{id}")).JsonAsync();
        Assert.Equal("fire_hazard", stored.GetProperty("properties").GetProperty("category").GetString());
        Assert.Equal("Browser test street 1", stored.GetProperty("properties").GetProperty("address").GetString());
        await page.WaitForAsync($"sm.feedIds()[0] === {id} && sm.renderedIncident({id}) !== null", "the incident in the feed and on the map");
    }

    [Fact]
    public async Task TheDashboardScreenshotIsSavedAsATestArtifact()
    {
        var directory = Path.Combine(TestDatabase.RepoRoot(), "artifacts", "screenshots");
        Directory.CreateDirectory(directory);
        var recent = new[]
        {
            ("violent", 4, 114.893, 40.809, "解放大街118号附近 (near No. 118 Jiefang Avenue)", "酒后斗殴，一人受伤。 / Fight after drinking, one injured.", 3),
            ("traffic", 2, 114.912, 40.796, "建设路与胜利大街交叉口 (Jianshe Road / Shengli Avenue)", "两车追尾，无人员受伤。 / Rear-end collision, no injuries.", 2),
            ("public_order", 3, 114.901, 40.815, "火车站广场 (Railway Station Square)", "人员聚集，秩序混乱。 / Crowd gathering, disorder.", 1),
        };
        foreach (var (category, severity, lon, lat, address, description, minutesAgo) in recent)
        {
            var incident = Api.Incident(lon, lat, category, severity, DateTimeOffset.UtcNow.AddMinutes(-minutesAgo))
                .With("address", address).With("description", description);
            await _api.CreateAsync("incidents", incident);
        }

        await using (var wall = await fixture.OpenAsync(locale: "zh-CN"))
        {
            await wall.WaitForAsync("sm.connection()?.phase === 'live'", "the live connection");
            await wall.Page.WaitForTimeoutAsync(1500);
            var path = Path.Combine(directory, "dashboard.png");
            await wall.Page.ScreenshotAsync(new PageScreenshotOptions { Path = path });
            Assert.True(new FileInfo(path).Length > 100_000, "the screenshot looks empty");
        }
        await using (var laptop = await fixture.OpenAsync(locale: "en-US", width: 1366, height: 768))
        {
            await laptop.WaitForAsync("sm.connection()?.phase === 'live'", "the live connection");
            await laptop.Page.Locator("#feed .feed-item").First.ClickAsync();
            await laptop.WaitForAsync("document.querySelector('#details .history') !== null && !sm.map.isMoving()", "the details");
            await laptop.Page.WaitForTimeoutAsync(800);
            await laptop.Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(directory, "dashboard-1366-en.png") });
            // nothing may be cut off on the laptop layout: the panels fit without horizontal scrolling
            Assert.True(await laptop.EvalAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"));
        }
    }

    private bool IsLocal(string url) =>
        url.StartsWith("data:", StringComparison.Ordinal) || url.StartsWith("blob:", StringComparison.Ordinal)
        || new Uri(url).Authority == fixture.BaseAddress.Authority;
}
