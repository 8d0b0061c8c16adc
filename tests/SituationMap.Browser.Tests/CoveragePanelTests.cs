using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using SituationMap.Testing;

namespace SituationMap.Browser.Tests;

/// <summary>
/// The camera coverage panel against the real server and the demo city: the compliance board with RAG chips, blind spots
/// on the map, a camera going offline updating the board live, recommendations drawn on the map, a draft scenario
/// (camera placed by a map click) compared with the current coverage and committed, the CSV and GeoJSON exports, the
/// evidence cameras of an incident, and a screenshot (artifacts/screenshots/coverage.png). State is read through
/// <c>window.__situationMap.dashboard.coverage.view()</c> and the map.
/// </summary>
[Collection("Dashboard")]
public sealed partial class CoveragePanelTests(DashboardFixture fixture)
{
    private const string View = "sm.dashboard.coverage.view()";

    private readonly HttpClient _api = fixture.CreateClient();

    private static async Task OpenPanelAsync(DashboardPage page)
    {
        await page.Page.Locator(".coverage-toggle").ClickAsync();
        await page.WaitForAsync($"{View}.open && {View}.zones > 0 && !{View}.loading", "the coverage board", 60_000);
    }

    /// <summary>A screenshot of the page as a test artifact (artifacts/screenshots, not committed).</summary>
    private static async Task SaveArtifactAsync(DashboardPage page, string name)
    {
        var directory = Path.Combine(TestDatabase.RepoRoot(), "artifacts", "screenshots");
        Directory.CreateDirectory(directory);
        await page.Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(directory, name) });
    }

    private static async Task<bool> MapIdleAsync(DashboardPage page) =>
        await page.Page.EvaluateAsync<bool>("() => new Promise((resolve) => { const m = window.__situationMap.map; if (!m.isMoving() && m.loaded()) resolve(true); else m.once('idle', () => resolve(true)); })");

    [Fact]
    public async Task TheBoardShowsTheDemoCitysZonesWithRagChipsAndTheBlindSpotsAreDrawnBelowTheLiveLayers()
    {
        await using var page = await fixture.OpenAsync();
        await OpenPanelAsync(page);

        var report = await (await _api.GetAsync("/api/coverage")).JsonAsync();
        var zones = report.GetProperty("zones").GetArrayLength();
        Assert.True(zones > 50, $"the demo city has {zones} zones with a target");
        Assert.Equal(zones, await page.EvalAsync<int>($"{View}.zones"));
        Assert.Equal(zones, await page.EvalAsync<int>($"{View}.rows"));
        Assert.Null(await page.EvalAsync<string?>($"{View}.error"));
        Assert.Equal("视频监控覆盖", await page.TextAsync("#coverage .cov-title"));
        Assert.StartsWith("计算于 ", await page.TextAsync("#coverage .cov-computed"), StringComparison.Ordinal);

        // every row has a RAG chip; below-target zones come first, by shortfall
        var rags = await page.EvalAsync<string[]>("[...document.querySelectorAll('#coverage .zone-table tbody tr[data-zone]')].map(tr => tr.querySelector('.rag-chip').dataset.rag)");
        Assert.All(rags, r => Assert.Contains(r, new[] { "red", "amber", "green" }));
        var below = report.GetProperty("below_target").EnumerateArray().Select(e => e.GetInt64()).ToArray();
        Assert.NotEmpty(below);
        var order = await page.EvalAsync<long[]>("[...document.querySelectorAll('#coverage .zone-table tbody tr[data-zone]')].map(tr => +tr.dataset.zone)");
        Assert.Equal(below.Order(), order[..below.Length].Order());
        var shortfall = report.GetProperty("zones").EnumerateArray().ToDictionary(z => z.GetProperty("id").GetInt64(), z => z.GetProperty("shortfall").GetDouble());
        var shortfalls = order[..below.Length].Select(id => shortfall[id]).ToArray();
        Assert.Equal(shortfalls.OrderDescending(), shortfalls);
        Assert.Equal("red", rags[0]);
        Assert.All(rags[below.Length..], r => Assert.Equal("green", r));

        // kinds against their targets: key facilities 100 %, residential 70 %
        Assert.Equal("100%", await page.TextAsync("#coverage .cov-table.kinds tr[data-kind='key_facility'] td.num"));
        Assert.Equal("70%", await page.TextAsync("#coverage .cov-table.kinds tr[data-kind='residential_community'] td.num"));
        Assert.True(await page.Page.Locator("#coverage .cov-table.districts tbody tr").CountAsync() > 1);

        // blind spots on the map, below the operational layers
        await page.WaitForAsync($"{View}.blindSpots > 0 && !{View}.blindLoading", "the blind spots");
        await page.WaitForAsync("sm.map.queryRenderedFeatures({ layers: ['coverage-blind-fill'] }).length > 0", "blind spots drawn");
        var drawn = await page.EvalAsync<string[]>("[...new Set(sm.map.queryRenderedFeatures({ layers: ['coverage-blind-fill'] }).map(f => f.properties.rag))]");
        Assert.Contains("red", drawn);
        var styleOrder = (await page.EvalAsync<string[]>("sm.map.getStyle().layers.map(l => l.id)")).ToList();
        var live = await page.EvalAsync<string[]>("[...sm.dashboard.map.cameras.layerIds(), ...sm.dashboard.map.incidents.layerIds(), ...sm.dashboard.map.units.layerIds()]");
        Assert.All(live.Where(styleOrder.Contains), id => Assert.True(styleOrder.IndexOf("coverage-blind-fill") < styleOrder.IndexOf(id), $"coverage-blind-fill above {id}"));

        // a zone click flies to the zone and outlines it
        await page.Page.Locator("#coverage .zone-table tbody tr[data-zone]").First.ClickAsync();
        await page.WaitForAsync($"{View}.selectedZone === {below[0]} && sm.map.getZoom() > 13 && !sm.map.isMoving()", "the flight to the zone");
        await page.WaitForAsync("sm.map.queryRenderedFeatures({ layers: ['coverage-zone-highlight'] }).length > 0", "the highlighted zone");

        // camera views cut by buildings, fetched for the viewport from z14
        await page.JumpToAsync(Api.Lon, Api.Lat, 15);
        await page.WaitForAsync($"{View}.views > 0", "the camera views of the viewport");
        await page.WaitForAsync("sm.map.queryRenderedFeatures({ layers: ['coverage-views-fill'] }).length > 0", "camera views drawn");
        Assert.Contains(page.Requests, u => u.Contains("/api/coverage/views?bbox=", StringComparison.Ordinal));
        Assert.Empty(page.ConsoleErrors);
    }

    [Fact]
    public async Task ACameraGoingOfflineUpdatesTheBoardLiveWithoutAReload()
    {
        await using var page = await fixture.OpenAsync(locale: "en-US");
        await page.WaitForAsync("sm.connection()?.phase === 'live'", "the live connection");
        await OpenPanelAsync(page);
        await page.Page.EvaluateAsync("() => { window.__samePage = true; }");

        var (cameraId, zoneId) = await ACameraCoveringAZoneAsync();
        var before = await page.EvalAsync<double>($"sm.dashboard.coverage.zone({zoneId}).covered");
        var version = await page.EvalAsync<long>($"{View}.version");
        await SetCameraStatusAsync(cameraId, "offline");
        try
        {
            await page.WaitForAsync($"{View}.version > {version} && sm.dashboard.coverage.zone({zoneId}).covered < {before.ToString("R", CultureInfo.InvariantCulture)}",
                "the zone's coverage to drop on the board", 30_000);
            Assert.True(await page.EvalAsync<bool>("window.__samePage === true"), "the page was reloaded");
            Assert.True(await page.EvalAsync<int>($"{View}.updates") > 0);
            var after = await page.EvalAsync<double>($"sm.dashboard.coverage.zone({zoneId}).covered");
            var shown = await page.Page.Locator($"#coverage .zone-table tr[data-zone='{zoneId}'] td[data-covered]").GetAttributeAsync("data-covered");
            Assert.Equal(after, double.Parse(shown!, CultureInfo.InvariantCulture), 9);
            // the server agrees
            var server = await (await _api.GetAsync("/api/coverage")).JsonAsync();
            var row = server.GetProperty("zones").EnumerateArray().Single(z => z.GetProperty("id").GetInt64() == zoneId);
            Assert.Equal(row.GetProperty("covered").GetDouble(), after, 9);
        }
        finally
        {
            await SetCameraStatusAsync(cameraId, "online");
        }
        await page.WaitForAsync($"sm.dashboard.coverage.zone({zoneId}).covered >= {before.ToString("R", CultureInfo.InvariantCulture)} - 1e-9", "the coverage back", 30_000);
        Assert.Empty(page.ConsoleErrors);
    }

    [Fact]
    public async Task TheRecommendationToolReturnsPicksThatAreDrawnOnTheMapAndCanBeAccepted()
    {
        await using var page = await fixture.OpenAsync(locale: "en-US");
        await OpenPanelAsync(page);
        await page.Page.Locator("#coverage [data-tab='plan']").ClickAsync();
        var budget = page.Page.Locator("#coverage input[data-field='budget']");
        await budget.FillAsync("3");
        await budget.DispatchEventAsync("change");
        var district = await page.EvalAsync<string>("[...document.querySelectorAll('#coverage select[data-field=district] option')].map(o => o.value).find(v => v)");
        await page.Page.Locator("#coverage select[data-field='district']").SelectOptionAsync(district);
        await page.Page.Locator("#coverage [data-action='recommend']").ClickAsync();
        await page.WaitForAsync($"!{View}.recommending && ({View}.picks > 0 || {View}.recommendationError !== null)", "the recommendation", 120_000);

        Assert.Null(await page.EvalAsync<string?>($"{View}.recommendationError"));
        var picks = await page.EvalAsync<int>($"{View}.picks");
        Assert.InRange(picks, 1, 3);
        Assert.Equal(picks, await page.Page.Locator("#coverage .cov-pick").CountAsync());
        await page.WaitForAsync("sm.dashboard.coverage.rendered().picks > 0", "numbered markers on the map");
        var ranks = await page.EvalAsync<int[]>("[...new Set(sm.map.queryRenderedFeatures({ layers: ['coverage-picks'] }).map(f => f.properties.rank))].sort()");
        Assert.Equal(Enumerable.Range(1, picks).ToArray(), ranks);
        Assert.True(await page.EvalAsync<int>("sm.map.queryRenderedFeatures({ layers: ['coverage-pick-views'] }).length") > 0, "the picks' views are not drawn");
        Assert.Matches(@"^\+[\d,]+ m²$", await page.TextAsync("#coverage .cov-pick[data-pick='1'] .cov-pick-gain"));
        Assert.True(await page.Page.Locator("#coverage .cov-pick[data-pick='1'] .cov-change").CountAsync() > 0, "the first pick changes no zone");
        await SaveArtifactAsync(page, "coverage-planner.png");

        // accepted into the draft: evaluated at once
        await page.Page.Locator("#coverage input[data-accept='1']").CheckAsync();
        await page.WaitForAsync($"{View}.scenario.changes === 1 && {View}.scenario.totalAfter !== null && !{View}.scenario.evaluating", "the evaluated draft", 60_000);
        Assert.True(await page.EvalAsync<double>($"{View}.scenario.totalAfter") > await page.EvalAsync<double>($"{View}.scenario.totalBefore"));
        Assert.Equal("1", await page.TextAsync("#coverage [data-tab='scenario'] .cov-badge"));
        await page.Page.Locator("#coverage input[data-accept='1']").UncheckAsync();
        await page.WaitForAsync($"{View}.scenario.changes === 0", "the pick dropped from the draft");
        Assert.Empty(page.ConsoleErrors);
    }

    [Fact]
    public async Task PolesClickedOnTheMapAreTheCandidateSitesOfAListRecommendation()
    {
        await using var page = await fixture.OpenAsync(locale: "en-US");
        await OpenPanelAsync(page);
        var zoneId = await FlyToTheWorstZoneAsync(page);
        var points = await page.EvalAsync<double[][]>(BlindPixelsScript(zoneId, 3));
        Assert.Equal(3, points.Length);

        await page.Page.Locator("#coverage [data-tab='plan']").ClickAsync();
        await page.Page.Locator("#coverage [data-source='list']").ClickAsync();
        Assert.Equal("Click at least one pole on the map (at most 5000).", await page.TextAsync("#coverage .hs-problems"));
        Assert.True(await page.Page.Locator("#coverage [data-action='recommend']").IsDisabledAsync());
        await page.Page.Locator("#coverage [data-action='pick-poles']").ClickAsync();
        foreach (var p in points) await page.Page.Mouse.ClickAsync((float)p[0], (float)p[1]);
        await page.WaitForAsync($"{View}.poles.length === 3", "three poles");
        await page.Page.Keyboard.PressAsync("Escape");
        await page.WaitForAsync($"!{View}.pickingPoles", "the end of pole picking");
        await page.WaitForAsync("sm.map.queryRenderedFeatures({ layers: ['coverage-poles'] }).length === 3", "the poles on the map");
        Assert.Equal("3 poles", await page.TextAsync("#coverage .cov-poles .hs-hint"));

        var budget = page.Page.Locator("#coverage input[data-field='budget']");
        await budget.FillAsync("2");
        await budget.DispatchEventAsync("change");
        await page.Page.Locator("#coverage [data-action='recommend']").ClickAsync();
        await page.WaitForAsync($"!{View}.recommending && ({View}.picks > 0 || {View}.recommendationError !== null)", "the recommendation", 120_000);
        Assert.Null(await page.EvalAsync<string?>($"{View}.recommendationError"));
        var poles = await page.EvalAsync<double[][]>($"{View}.poles");
        var picks = await page.EvalAsync<double[][]>($"{View}.pickLocations");
        Assert.InRange(picks.Length, 1, 2);
        Assert.All(picks, pick => Assert.Contains(poles, pole => Math.Abs(pole[0] - pick[0]) < 1e-6 && Math.Abs(pole[1] - pick[1]) < 1e-6));
        Assert.Empty(page.ConsoleErrors);
    }

    [Fact]
    public async Task ACameraPlacedInABlindSpotShowsTheZoneImproveInTheScenarioAndIsCommittedThroughTheCameraApi()
    {
        await using var page = await fixture.OpenAsync(locale: "en-US");
        await page.WaitForAsync("sm.connection()?.phase === 'live'", "the live connection");
        await OpenPanelAsync(page);
        // a PTZ camera (360°, 100 m) for the scenario
        await page.Page.Locator("#coverage [data-tab='plan']").ClickAsync();
        await page.Page.Locator("#coverage select[data-field='kind']").SelectOptionAsync("ptz");
        await page.Page.Locator("#coverage [data-tab='board']").ClickAsync();
        var zoneId = await FlyToTheWorstZoneAsync(page);
        var point = (await page.EvalAsync<double[][]>(BlindPixelsScript(zoneId, 1))).Single();

        await page.Page.Locator("#coverage [data-tab='scenario']").ClickAsync();
        await page.Page.Locator("#coverage [data-action='add-camera']").ClickAsync();
        await page.Page.Mouse.ClickAsync((float)point[0], (float)point[1]);
        await page.WaitForAsync($"{View}.scenario.changes === 1 && {View}.scenario.totalAfter !== null && !{View}.scenario.evaluating", "the evaluated draft", 60_000);
        Assert.Null(await page.EvalAsync<string?>($"{View}.scenario.error"));

        var zone = await page.EvalAsync<JsonElement>($"{View}.scenario.zones.find(z => z.id === {zoneId}) ?? null");
        Assert.Equal(JsonValueKind.Object, zone.ValueKind);
        Assert.True(zone.GetProperty("after").GetDouble() > zone.GetProperty("before").GetDouble(), $"zone {zoneId}: {zone}");
        Assert.True(await page.EvalAsync<double>($"{View}.scenario.totalAfter") > await page.EvalAsync<double>($"{View}.scenario.totalBefore"));
        // side by side: the changed zone with its RAG before → after, the draft camera and its view on the map
        var compareRow = page.Page.Locator($"#coverage .cov-table.compare.zones tr[data-zone='{zoneId}']");
        Assert.Equal(2, await compareRow.Locator(".rag-chip").CountAsync());
        Assert.Equal(1, await page.EvalAsync<int>($"{View}.scenario.views"));
        await page.WaitForAsync("sm.dashboard.coverage.rendered().draft === 1", "the draft camera on the map");
        await SaveArtifactAsync(page, "coverage-scenario.png");

        // commit: POST /api/cameras; the board follows from the hub
        var updates = await page.EvalAsync<int>($"{View}.updates");
        var coveredBefore = await page.EvalAsync<double>($"sm.dashboard.coverage.zone({zoneId}).covered");
        page.Page.Dialog += (_, dialog) => _ = dialog.AcceptAsync();
        var response = await page.Page.RunAndWaitForResponseAsync(
            () => page.Page.Locator("#coverage [data-action='commit']").ClickAsync(),
            r => r.Request.Method == "POST" && r.Url.EndsWith("/api/cameras", StringComparison.Ordinal));
        Assert.Equal(201, response.Status);
        var created = JsonDocument.Parse(await response.TextAsync()).RootElement;
        var cameraId = created.GetProperty("id").GetInt64();
        try
        {
            Assert.Equal("ptz", created.GetProperty("properties").GetProperty("kind").GetString());
            Assert.StartsWith("Planned camera ", created.GetProperty("properties").GetProperty("name").GetString(), StringComparison.Ordinal);
            await page.WaitForAsync($"{View}.scenario.changes === 0 && !{View}.scenario.committing", "the committed draft");
            await page.WaitForAsync($"{View}.updates > {updates} && sm.dashboard.coverage.zone({zoneId}).covered > {coveredBefore.ToString("R", CultureInfo.InvariantCulture)}",
                "the board to show the new camera's coverage", 30_000);
            Assert.Equal(zone.GetProperty("after").GetDouble(), await page.EvalAsync<double>($"sm.dashboard.coverage.zone({zoneId}).covered"), 2);
        }
        finally
        {
            Assert.True((await _api.DeleteAsync($"/api/cameras/{cameraId}")).IsSuccessStatusCode);
        }
        Assert.Empty(page.ConsoleErrors);
    }

    [Fact]
    public async Task ACameraIsRotatedAndRemovedInTheScenarioFromItsDetailsWhileTheRealCameraStaysAsItIs()
    {
        var (cameraId, _) = await ACameraCoveringAZoneAsync(directed: true);
        var camera = await (await _api.GetAsync($"/api/cameras/{cameraId}")).JsonAsync();
        var coordinates = camera.GetProperty("geometry").GetProperty("coordinates");
        var (lon, lat) = (coordinates[0].GetDouble(), coordinates[1].GetDouble());
        var heading = camera.GetProperty("properties").GetProperty("heading_deg").GetDouble();
        await using var page = await fixture.OpenAsync(locale: "en-US");
        await OpenPanelAsync(page);
        await page.JumpToAsync(lon, lat, 18);
        var point = await page.EvalAsync<double[]>(string.Create(CultureInfo.InvariantCulture,
            $"(() => {{ const p = sm.map.project([{lon}, {lat}]), box = sm.map.getCanvas().getBoundingClientRect(); return [box.left + p.x, box.top + p.y]; }})()"));
        await page.Page.Mouse.ClickAsync((float)point[0], (float)point[1]);
        await page.WaitForAsync("document.querySelector('#details [data-section=scenario]') !== null", "the camera's scenario actions");
        Assert.Contains($"#{cameraId}", await page.TextAsync("#details .details-kind"));

        // rotated by half a turn in the draft: the zones it watched lose coverage
        var rotated = (heading + 180) % 360;
        await page.Page.Locator("#details input[data-field='scenario-heading']").FillAsync(Math.Round(rotated).ToString(CultureInfo.InvariantCulture));
        await page.Page.Locator("#details [data-action='scenario-rotate']").ClickAsync();
        await page.WaitForAsync($"{View}.scenario.changes === 1 && {View}.scenario.totalAfter !== null && !{View}.scenario.evaluating", "the evaluated rotation", 60_000);
        Assert.Equal("update", await page.EvalAsync<string>($"sm.dashboard.coverage.draft.forCamera({cameraId}).op"));
        Assert.StartsWith("In the draft: heading", await page.TextAsync("#details .scenario-state"), StringComparison.Ordinal);
        Assert.True(await page.EvalAsync<bool>($"{View}.scenario.zones.some(z => z.after < z.before)"),
            $"no zone lost coverage: camera {camera.GetProperty("properties")}, scenario {await page.EvalAsync<JsonElement>($"{View}.scenario")}");

        // removed in the draft: one change for the camera, evaluated again
        await page.Page.Locator("#details [data-action='scenario-remove']").ClickAsync();
        await page.WaitForAsync($"sm.dashboard.coverage.draft.forCamera({cameraId})?.op === 'remove' && {View}.scenario.changes === 1 && !{View}.scenario.evaluating", "the evaluated removal", 60_000);
        await page.WaitForAsync($"{View}.scenario.zones.some(z => z.after < z.before)", "a zone losing coverage");
        Assert.Equal(" removed", (await page.TextAsync("#details .scenario-state span"))["In the draft:".Length..]);
        await page.Page.Locator("#coverage [data-tab='scenario']").ClickAsync();
        Assert.Equal("remove", await page.Page.Locator("#coverage .cov-draft-item").GetAttributeAsync("data-op"));

        // nothing was written
        var now = await (await _api.GetAsync($"/api/cameras/{cameraId}")).JsonAsync();
        Assert.Equal(camera.Version(), now.Version());
        Assert.Equal(heading, now.GetProperty("properties").GetProperty("heading_deg").GetDouble());

        await page.Page.Locator("#details [data-action='scenario-undo']").ClickAsync();
        await page.WaitForAsync($"{View}.scenario.changes === 0", "the draft emptied");
        Assert.Equal(0, await page.Page.Locator("#details .scenario-state").CountAsync());
        Assert.Empty(page.ConsoleErrors);
    }

    [Fact]
    public async Task TheComplianceTableDownloadsAsCsvAndTheBlindSpotsAsGeoJson()
    {
        await using var page = await fixture.OpenAsync(locale: "en-US");
        await OpenPanelAsync(page);
        var zones = await page.EvalAsync<int>($"{View}.zones");

        var download = await page.Page.RunAndWaitForDownloadAsync(() => page.Page.Locator("#coverage [data-action='export-csv']").ClickAsync());
        Assert.Matches(CsvName(), download.SuggestedFilename);
        var path = Path.Combine(Path.GetTempPath(), $"coverage-{Guid.NewGuid():N}.csv");
        await download.SaveAsAsync(path);
        try
        {
            var lines = (await File.ReadAllLinesAsync(path)).Where(l => l.Length > 0).ToArray();
            Assert.StartsWith("zone_id,name,name_en,kind,district,target", lines[0], StringComparison.Ordinal);
            Assert.Equal(zones + 1, lines.Length);
        }
        finally
        {
            File.Delete(path);
        }
        Assert.Equal(download.SuggestedFilename, await page.EvalAsync<string>($"{View}.lastExport"));

        // the blind spots of the board's filter (below target only)
        await page.Page.Locator("#coverage input[data-field='belowOnly']").CheckAsync();
        var geojson = await page.Page.RunAndWaitForDownloadAsync(() => page.Page.Locator("#coverage [data-action='export-geojson']").ClickAsync());
        Assert.EndsWith(".geojson", geojson.SuggestedFilename, StringComparison.Ordinal);
        var geoPath = Path.Combine(Path.GetTempPath(), $"blind-{Guid.NewGuid():N}.geojson");
        await geojson.SaveAsAsync(geoPath);
        try
        {
            using var doc = JsonDocument.Parse(await File.ReadAllTextAsync(geoPath));
            Assert.Equal("FeatureCollection", doc.RootElement.GetProperty("type").GetString());
            var features = doc.RootElement.GetProperty("features");
            Assert.Equal(await page.EvalAsync<int>($"{View}.belowTarget"), features.GetArrayLength());
            Assert.All(features.EnumerateArray(), f => Assert.NotEqual("green", f.GetProperty("properties").GetProperty("rag").GetString()));
        }
        finally
        {
            File.Delete(geoPath);
        }
        Assert.Contains(page.Requests, u => u.EndsWith("/api/coverage/blind-spots.geojson?below_target=true", StringComparison.Ordinal));
        Assert.Empty(page.ConsoleErrors);
    }

    [Fact]
    public async Task AViewerSeesTheBoardButNoPlanningToolsAndNoExports()
    {
        await using var page = await fixture.OpenAsync(account: DashboardFixture.ViewerName);
        await OpenPanelAsync(page);
        Assert.False(await page.EvalAsync<bool>($"{View}.planning"));
        Assert.Equal(0, await page.Page.Locator("#coverage [data-tab='plan'], #coverage [data-tab='scenario']").CountAsync());
        Assert.Equal(0, await page.Page.Locator("#coverage [data-action^='export']").CountAsync());
        Assert.Equal(0, await page.Page.Locator("#coverage [data-layer='picks'], #coverage [data-layer='draft']").CountAsync());
        Assert.Empty(page.FailedResponses);
    }

    [Fact]
    public async Task TheIncidentDetailsListTheCamerasThatHadItInView()
    {
        var (camera, at) = await APointInACamerasViewAsync();
        var id = (await _api.CreateAsync("incidents", Api.Incident(at[0], at[1], "robbery", 3, DateTimeOffset.UtcNow.AddMinutes(-3)))).Id();
        try
        {
            await using var page = await fixture.OpenAsync(locale: "en-US");
            await page.WaitForAsync($"sm.feedIds().includes({id})", "the incident in the feed");
            await page.Page.Locator($"#feed .feed-item[data-id='{id}']").ClickAsync();
            await page.WaitForAsync("document.querySelector('#details .details-evidence .evidence-list, #details .details-evidence .evidence-none') !== null", "the evidence cameras", 30_000);

            Assert.Equal("Evidence cameras", (await page.TextAsync("#details .details-evidence h3")).TrimEnd('0', '1', '2', '3', '4', '5', '6', '7', '8', '9'));
            var candidates = await page.EvalAsync<long[]>("[...document.querySelectorAll('#details .details-evidence .evidence-list:not(.others) [data-camera-id]')].map(b => +b.dataset.cameraId)");
            Assert.Contains(camera, candidates);
            var evidence = await (await _api.GetAsync($"/api/incidents/{id}/evidence?search_m=300")).JsonAsync();
            Assert.Equal(evidence.GetProperty("candidates").EnumerateArray().Select(c => c.GetProperty("camera_id").GetInt64()).ToArray(), candidates);
            var item = page.Page.Locator($"#details .details-evidence .evidence-list:not(.others) [data-camera-id='{camera}']");
            Assert.Matches(@"\d+ m · looking (N|NE|E|SE|S|SW|W|NW)", await item.Locator(".evidence-meta").TextContentAsync() ?? "");
            Assert.Equal("Online", (await item.Locator(".evidence-then").TextContentAsync())?.Trim());
            if (evidence.GetProperty("others").GetArrayLength() > 0)
                Assert.Matches(@"^Other cameras nearby \(\d+\)$", await page.TextAsync("#details .evidence-others summary"));
            await SaveArtifactAsync(page, "coverage-evidence.png");

            // a click flies to the camera
            await item.ClickAsync();
            await page.WaitForAsync("sm.map.getZoom() > 17 && !sm.map.isMoving()", "the flight to the camera");
            var center = await page.EvalAsync<double[]>("sm.map.getCenter().toArray()");
            var location = evidence.GetProperty("candidates").EnumerateArray().First(c => c.GetProperty("camera_id").GetInt64() == camera).GetProperty("location");
            Assert.Equal(location[0].GetDouble(), center[0], 4);
            Assert.Equal(location[1].GetDouble(), center[1], 4);
            Assert.Empty(page.ConsoleErrors);
        }
        finally
        {
            await _api.DeleteAsync($"/api/incidents/{id}");
        }
    }

    [Fact]
    public async Task TheCoverageScreenshotIsSavedAsATestArtifactAndThePanelFitsALaptopScreen()
    {
        await using var page = await fixture.OpenAsync(width: 1920, height: 1080);
        await OpenPanelAsync(page);
        await page.WaitForAsync($"{View}.blindSpots > 0", "the blind spots");
        // a zone below target that has cameras: its blind spot and the cameras' views around it
        var zone = await page.EvalAsync<long>("[...document.querySelectorAll('#coverage .zone-table tbody tr[data-zone]')].map(tr => +tr.dataset.zone).find(id => { const z = sm.dashboard.coverage.zone(id); return z.below_target && z.cameras > 1 && z.area_m2 > 20000; })");
        await page.Page.Locator($"#coverage .zone-table tbody tr[data-zone='{zone}']").ClickAsync();
        await page.WaitForAsync("sm.map.getZoom() > 13 && !sm.map.isMoving()", "the flight to the zone");
        await page.WaitForAsync($"{View}.views > 0", "the camera views");
        await MapIdleAsync(page);
        // the board from its top (the row click may have scrolled it)
        await page.Page.EvaluateAsync("() => { document.activeElement?.blur(); document.querySelector('#coverage .cov-body').scrollTop = 0; }");
        await page.Page.WaitForTimeoutAsync(800);
        var path = Path.Combine(TestDatabase.RepoRoot(), "artifacts", "screenshots", "coverage.png"); // docs/coverage.png is a copy of one
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await page.Page.ScreenshotAsync(new PageScreenshotOptions { Path = path });
        Assert.True(new FileInfo(path).Length > 100_000, "the screenshot looks empty");
        // nothing of the panel is cut off on the laptop layout either
        await page.Page.SetViewportSizeAsync(1366, 768);
        await page.Page.WaitForTimeoutAsync(500);
        Assert.True(await page.EvalAsync<bool>("(() => { const r = document.querySelector('#coverage').getBoundingClientRect(); return r.right <= document.querySelector('.map-area').getBoundingClientRect().right && r.bottom <= window.innerHeight; })()"));
    }

    // ---- helpers ----------------------------------------------------------------------------------------------------

    /// <summary>Clicks the first zone of the table (the largest shortfall) and waits until its blind spot is drawn.</summary>
    private static async Task<long> FlyToTheWorstZoneAsync(DashboardPage page)
    {
        await page.Page.Locator("#coverage .zone-table tbody tr[data-zone]").First.ClickAsync();
        var zoneId = await page.EvalAsync<long>($"{View}.selectedZone");
        await page.WaitForAsync("sm.map.getZoom() > 13 && !sm.map.isMoving()", "the flight to the zone");
        await MapIdleAsync(page);
        await page.WaitForAsync($"sm.map.queryRenderedFeatures({{ layers: ['coverage-blind-fill'] }}).some(f => f.properties.zone_id === {zoneId})", "the zone's blind spot");
        return zoneId;
    }

    /// <summary>
    /// A script returning up to <paramref name="count"/> page points (x, y) well inside the zone's blind spot, where the map
    /// itself takes the click (not the panel) and no building is: the most central first, at least 40 px apart.
    /// </summary>
    private static string BlindPixelsScript(long zoneId, int count) => $$"""
        (() => {
          const map = sm.map, canvas = map.getCanvas(), box = canvas.getBoundingClientRect();
          const buildings = map.getLayer('buildings-fill') ? ['buildings-fill'] : [];
          const inZone = (x, y) => map.queryRenderedFeatures([x, y], { layers: ['coverage-blind-fill'] }).some(f => f.properties.zone_id === {{zoneId}});
          const found = [];
          for (let y = 20; y < box.height - 20; y += 10) {
            for (let x = 20; x < box.width - 20; x += 10) {
              if (document.elementFromPoint(box.left + x, box.top + y) !== canvas || !inZone(x, y)) continue;
              if (buildings.length && map.queryRenderedFeatures([[x - 6, y - 6], [x + 6, y + 6]], { layers: buildings }).length) continue;
              let score = 0;
              for (const [dx, dy] of [[-25, 0], [25, 0], [0, -25], [0, 25], [-18, -18], [18, 18], [-18, 18], [18, -18]]) if (inZone(x + dx, y + dy)) score++;
              found.push({ score, x, y });
            }
          }
          found.sort((a, b) => b.score - a.score);
          const picked = [];
          for (const p of found) {
            if (picked.length === {{count}}) break;
            if (picked.every(q => Math.hypot(q.x - p.x, q.y - p.y) >= 40)) picked.push(p);
          }
          return picked.map(p => [box.left + p.x, box.top + p.y]);
        })()
        """;

    /// <summary>An online camera whose view reaches a zone below 100 % coverage (the camera with the largest view there);
    /// <paramref name="directed"/>: a camera with a field of view below 180° (one that a rotation changes).</summary>
    private async Task<(long Camera, long Zone)> ACameraCoveringAZoneAsync(bool directed = false)
    {
        var report = await (await _api.GetAsync("/api/coverage")).JsonAsync();
        var zones = report.GetProperty("zones").EnumerateArray()
            .Where(z => z.GetProperty("cameras").GetInt32() is > 0 and < 3 && z.GetProperty("covered").GetDouble() is > 0.05 and < 0.99)
            .OrderBy(z => z.GetProperty("area_m2").GetDouble()).Take(10).ToList();
        foreach (var zone in zones)
        {
            var zoneId = zone.GetProperty("id").GetInt64();
            var feature = await (await _api.GetAsync($"/api/zones/{zoneId}")).JsonAsync();
            var b = Bbox(feature.GetProperty("geometry").GetProperty("coordinates"));
            var views = await (await _api.GetAsync(string.Create(CultureInfo.InvariantCulture, $"/api/coverage/views?bbox={b[0]},{b[1]},{b[2]},{b[3]}"))).JsonAsync();
            var camera = views.GetProperty("features").EnumerateArray().Select(f => f.GetProperty("properties"))
                .Where(p => p.GetProperty("status").GetString() == "online" && p.GetProperty("area_m2").GetDouble() > 100
                    && (!directed || p.GetProperty("field_of_view_deg").GetDouble() < 180))
                .OrderByDescending(p => p.GetProperty("area_m2").GetDouble()).FirstOrDefault();
            if (camera.ValueKind == JsonValueKind.Object) return (camera.GetProperty("camera_id").GetInt64(), zoneId);
        }
        throw new InvalidOperationException("no camera covers a zone of the demo city");
    }

    private async Task SetCameraStatusAsync(long id, string status)
    {
        var current = await (await _api.GetAsync($"/api/cameras/{id}")).JsonAsync();
        var node = current.ToNode();
        var properties = (JsonObject)node["properties"]!;
        foreach (var key in new[] { "version", "created_at", "updated_at", "view_sector" }) properties.Remove(key);
        properties["status"] = status;
        var response = await _api.PutAsync($"/api/cameras/{id}", new JsonObject { ["type"] = "Feature", ["geometry"] = node["geometry"]!.DeepClone(), ["properties"] = properties.DeepClone() },
            $"\"{current.Version()}\"");
        Assert.True(response.IsSuccessStatusCode, $"PUT camera {id} {status}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>An online camera near the city centre and a point inside its (occluded) view.</summary>
    private async Task<(long Camera, double[] At)> APointInACamerasViewAsync()
    {
        var bbox = string.Create(CultureInfo.InvariantCulture, $"{Api.Lon - 0.02},{Api.Lat - 0.015},{Api.Lon + 0.02},{Api.Lat + 0.015}");
        var views = await (await _api.GetAsync($"/api/coverage/views?bbox={bbox}")).JsonAsync();
        foreach (var f in views.GetProperty("features").EnumerateArray()
                     .Where(f => f.GetProperty("properties").GetProperty("status").GetString() == "online" && f.GetProperty("properties").GetProperty("area_m2").GetDouble() > 400)
                     .OrderByDescending(f => f.GetProperty("properties").GetProperty("area_m2").GetDouble()))
        {
            var geometry = f.GetProperty("geometry");
            var polygons = geometry.GetProperty("type").GetString() == "Polygon"
                ? [geometry.GetProperty("coordinates")]
                : geometry.GetProperty("coordinates").EnumerateArray().ToList();
            foreach (var polygon in polygons)
            {
                var ring = polygon[0].EnumerateArray().Select(p => new[] { p[0].GetDouble(), p[1].GetDouble() }).ToArray();
                var holes = polygon.EnumerateArray().Skip(1).Select(h => h.EnumerateArray().Select(p => new[] { p[0].GetDouble(), p[1].GetDouble() }).ToArray()).ToList();
                // candidates: the vertex average, and points between each vertex and it
                var cx = ring.Average(p => p[0]);
                var cy = ring.Average(p => p[1]);
                var candidates = new List<double[]> { new[] { cx, cy } };
                candidates.AddRange(ring.Select(p => new[] { (p[0] + cx) / 2, (p[1] + cy) / 2 }));
                // well inside: the point and its neighbours a few metres away are all in the view
                var inside = candidates.FirstOrDefault(c => new[] { (0.0, 0.0), (0.00004, 0), (-0.00004, 0), (0, 0.00003), (0, -0.00003) }
                    .All(d => Inside(ring, c[0] + d.Item1, c[1] + d.Item2) && !holes.Any(h => Inside(h, c[0] + d.Item1, c[1] + d.Item2))));
                if (inside is not null) return (f.GetProperty("properties").GetProperty("camera_id").GetInt64(), inside);
            }
        }
        throw new InvalidOperationException("no online camera with a usable view near the city centre");
    }

    private static bool Inside(double[][] ring, double x, double y)
    {
        var inside = false;
        for (int i = 0, j = ring.Length - 1; i < ring.Length; j = i++)
        {
            if ((ring[i][1] > y) != (ring[j][1] > y) && x < ((ring[j][0] - ring[i][0]) * (y - ring[i][1]) / (ring[j][1] - ring[i][1])) + ring[i][0])
                inside = !inside;
        }
        return inside;
    }

    private static double[] Bbox(JsonElement coordinates)
    {
        double w = double.MaxValue, s = double.MaxValue, e = double.MinValue, n = double.MinValue;
        void Visit(JsonElement c)
        {
            if (c[0].ValueKind == JsonValueKind.Number)
            {
                w = Math.Min(w, c[0].GetDouble());
                e = Math.Max(e, c[0].GetDouble());
                s = Math.Min(s, c[1].GetDouble());
                n = Math.Max(n, c[1].GetDouble());
                return;
            }
            foreach (var x in c.EnumerateArray()) Visit(x);
        }
        Visit(coordinates);
        return [w, s, e, n];
    }

    [GeneratedRegex(@"^coverage-\d{8}-\d{4}\.csv$")]
    private static partial Regex CsvName();
}
