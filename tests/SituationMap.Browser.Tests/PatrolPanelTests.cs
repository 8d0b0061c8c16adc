using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using SituationMap.Testing;

namespace SituationMap.Browser.Tests;

/// <summary>
/// The Patrol &amp; Dispatch panel against the real server and the demo city: the dispatch view of an open incident
/// (units ranked by road ETA, their routes on the map), assigning a unit (busy unit, dispatched incident, checked
/// through the API), the conflict when another dispatcher took the unit first, the 1-3-5 minute response bands with
/// their share table (refreshed when a unit moves), a viewer without Assign buttons, and the panel on a laptop screen
/// with a screenshot (artifacts/screenshots/patrol.png; docs/patrol.png is a copy of one). State is read through
/// <c>window.__situationMap.dashboard.patrol.view()</c> and the map.
/// </summary>
[Collection("Dashboard")]
public sealed partial class PatrolPanelTests(DashboardFixture fixture)
{
    private const string View = "sm.dashboard.patrol.view()";

    private readonly HttpClient _api = fixture.CreateClient();

    [GeneratedRegex(@"^\d+:\d\d$")]
    private static partial Regex EtaText();

    [Fact]
    public async Task TheDispatchViewOfAnOpenIncidentListsTheUnitsByEtaAndDrawsTheBestRoute()
    {
        var id = await CreateIncidentAsync();
        try
        {
            await using var page = await fixture.OpenAsync();
            await OpenDispatchAsync(page, id);

            Assert.Equal("巡逻与调度", await page.TextAsync("#patrol .cov-title"));
            Assert.Null(await page.EvalAsync<string?>($"{View}.dispatch.error"));
            var shown = await page.EvalAsync<JsonElement>($"{View}.dispatch.candidates");
            var etas = shown.EnumerateArray().Select(c => c.GetProperty("eta_s").GetDouble()).ToArray();
            Assert.True(etas.Length >= 3, $"only {etas.Length} ranked units");
            Assert.Equal(etas.Order(), etas);

            // the same ranking as the API, row by row on the page
            var options = await (await _api.GetAsync($"/api/incidents/{id}/dispatch?routes=5")).JsonAsync();
            var api = options.GetProperty("candidates").EnumerateArray().Select(c => c.GetProperty("unit_id").GetInt64()).ToArray();
            var rows = await page.EvalAsync<long[]>("[...document.querySelectorAll('#patrol .pt-candidates tbody tr')].map(tr => +tr.dataset.unit)");
            Assert.Equal(api, rows);
            var first = options.GetProperty("candidates")[0];
            Assert.Matches(EtaText(), await page.TextAsync("#patrol .pt-candidates tbody tr:first-child .pt-eta"));
            var eta = first.GetProperty("eta_s").GetDouble();
            var seconds = (int)Math.Round(eta, MidpointRounding.AwayFromZero);
            Assert.Equal($"{seconds / 60}:{seconds % 60:00}", await page.TextAsync("#patrol .pt-candidates tbody tr:first-child .pt-eta"));
            Assert.EndsWith(" km", await page.TextAsync("#patrol .pt-candidates tbody tr:first-child td:nth-child(4)"), StringComparison.Ordinal);
            Assert.Equal(first.GetProperty("call_sign").GetString(), await page.TextAsync("#patrol .pt-candidates tbody tr:first-child .pt-call"));
            Assert.True(await page.Page.Locator("#patrol .pt-candidates .pt-assign").CountAsync() == rows.Length, "every ranked unit has an Assign button");

            // the best route is drawn wide on top; hovering another row highlights its route
            await page.WaitForAsync("sm.dashboard.patrol.rendered().dispatch > 0 && !sm.map.isMoving()", "the dispatch routes on the map", 20_000);
            var best = await page.EvalAsync<long[]>("[...new Set(sm.map.queryRenderedFeatures({ layers: ['patrol-dispatch-best'] }).map(f => f.properties.unit_id))]");
            Assert.Equal(new[] { api[0] }, best);
            Assert.True(await page.EvalAsync<int>("sm.map.queryRenderedFeatures({ layers: ['patrol-dispatch-routes'] }).length") > 0, "the other candidates' routes are not drawn");
            await page.Page.Locator($"#patrol .pt-candidates tbody tr[data-unit='{api[1]}']").HoverAsync();
            await page.WaitForAsync($"{View}.dispatch.hovered === {api[1]}", "the hovered row");
            await page.WaitForAsync($"sm.map.queryRenderedFeatures({{ layers: ['patrol-dispatch-best'] }}).some(f => f.properties.unit_id === {api[1]} && f.properties.hovered)", "the hovered route highlighted");
            Assert.Empty(page.ConsoleErrors);
        }
        finally
        {
            await CloseIncidentAsync(id);
        }
    }

    [Fact]
    public async Task AssigningAUnitMakesItBusyAndTheIncidentDispatchedAndItsRowDisappears()
    {
        var id = await CreateIncidentAsync(114.905, 40.795);
        try
        {
            await using var page = await fixture.OpenAsync(locale: "en-US");
            await OpenDispatchAsync(page, id);
            var unit = await page.EvalAsync<long>($"{View}.dispatch.candidates[0].unit_id");
            var callSign = await page.EvalAsync<string>($"{View}.dispatch.candidates[0].call_sign");
            Assert.Equal("Assign", await page.TextAsync($"#patrol [data-action='assign'][data-unit='{unit}']"));

            await page.Page.Locator($"#patrol [data-action='assign'][data-unit='{unit}']").ClickAsync();
            await page.WaitForAsync($"{View}.dispatch.assigned.includes({unit}) && !{View}.dispatch.candidates.some(c => c.unit_id === {unit})", "the unit assigned", 20_000);
            Assert.Equal(0, await page.Page.Locator($"#patrol .pt-candidates tr[data-unit='{unit}']").CountAsync());
            Assert.Equal(callSign, await page.TextAsync($"#patrol .pt-assigned li[data-unit='{unit}'] .pt-call"));
            Assert.Null(await page.EvalAsync<string?>($"{View}.dispatch.conflict"));

            // the server agrees: the unit is busy on this incident, the incident dispatched
            var u = await (await _api.GetAsync($"/api/patrol-units/{unit}")).JsonAsync();
            Assert.Equal("busy", u.GetProperty("properties").GetProperty("status").GetString());
            var incident = await (await _api.GetAsync($"/api/incidents/{id}")).JsonAsync();
            Assert.Equal("dispatched", incident.GetProperty("properties").GetProperty("status").GetString());
            // and the page followed the incident live (status chip)
            await page.WaitForAsync($"{View}.dispatch.status === 'dispatched'", "the incident dispatched on the page");
            Assert.Contains("Dispatched", await page.TextAsync("#patrol .pt-incident .pt-chip"), StringComparison.Ordinal);
            Assert.Empty(page.ConsoleErrors);
        }
        finally
        {
            await CloseIncidentAsync(id);
        }
    }

    [Fact]
    public async Task ASecondAssignmentOfTheSameUnitFromAnotherPageShowsTheConflictAndRefreshesTheList()
    {
        var id = await CreateIncidentAsync(114.895, 40.805);
        try
        {
            await using var first = await fixture.OpenAsync(locale: "en-US");
            await using var second = await fixture.OpenAsync(locale: "en-US");
            await OpenDispatchAsync(first, id);
            await OpenDispatchAsync(second, id);
            var unit = await first.EvalAsync<long>($"{View}.dispatch.candidates[0].unit_id");
            var callSign = await first.EvalAsync<string>($"{View}.dispatch.candidates[0].call_sign");
            Assert.Equal(unit, await second.EvalAsync<long>($"{View}.dispatch.candidates[0].unit_id"));

            // the second dispatcher's network is slow: its list still offers the unit when the first one takes it (its
            // refreshes are held until the conflict is on screen)
            var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            await second.Page.RouteAsync(new Regex(@"/api/incidents/\d+/dispatch\?"), async route =>
            {
                await held.Task;
                await route.ContinueAsync();
            });
            await first.Page.Locator($"#patrol [data-action='assign'][data-unit='{unit}']").ClickAsync();
            await first.WaitForAsync($"{View}.dispatch.assigned.includes({unit})", "the first assignment", 20_000);
            await second.Page.Locator($"#patrol [data-action='assign'][data-unit='{unit}']").ClickAsync();
            await second.WaitForAsync($"{View}.dispatch.conflict !== null", "the conflict", 20_000);
            held.SetResult();

            var message = await second.TextAsync("#patrol .pt-conflict");
            Assert.StartsWith($"{callSign} is no longer available. Unit {callSign} is busy: it was sent to incident {id} by {DashboardFixture.OperatorName} at ", message, StringComparison.Ordinal);
            Assert.Contains("Choose another unit.", message, StringComparison.Ordinal);
            Assert.Equal("alert", await second.Page.Locator("#patrol .pt-conflict").GetAttributeAsync("role"));
            Assert.Contains(second.FailedResponses, r => r.Status == 409 && r.Url.EndsWith($"/api/incidents/{id}/dispatch", StringComparison.Ordinal));
            // the list is fetched again: the unit is gone from the candidates and listed as assigned
            await second.WaitForAsync($"!{View}.dispatch.candidates.some(c => c.unit_id === {unit}) && {View}.dispatch.assigned.includes({unit})", "the refreshed list", 20_000);
            Assert.Equal(1, await CountDispatchesAsync(unit, id));
            Assert.DoesNotContain(second.ConsoleErrors, e => !e.Contains("409", StringComparison.Ordinal));
        }
        finally
        {
            await CloseIncidentAsync(id);
        }
    }

    [Fact]
    public async Task TheResponseBandsToggleDrawsTheBandsAndTheShareTableAndFollowsAUnitThatMoves()
    {
        await using var page = await fixture.OpenAsync(locale: "en-US");
        await page.WaitForAsync("sm.connection()?.phase === 'live'", "the live connection");
        await page.Page.Locator(".patrol-toggle").ClickAsync();
        await page.WaitForAsync($"{View}.open", "the panel");
        Assert.Equal("Patrol & Dispatch", await page.TextAsync("#patrol .cov-title"));
        await page.Page.Locator("#patrol [data-tab='response']").ClickAsync();
        await page.Page.Locator("#patrol input[data-layer='bands']").CheckAsync();
        await page.WaitForAsync($"{View}.bands.loading || {View}.bands.fetches > 0", "the bands requested");
        await page.WaitForAsync($"{View}.bands.fetches > 0 && !{View}.bands.loading", "the bands", 90_000);
        Assert.Null(await page.EvalAsync<string?>($"{View}.bands.error"));

        var api = await (await _api.GetAsync("/api/response-coverage?bands=60,180,300")).JsonAsync();
        var districts = api.GetProperty("districts").GetArrayLength();
        Assert.Equal(districts + 1, await page.EvalAsync<int>($"{View}.bands.rows"));
        Assert.Equal(new[] { 60, 180, 300 }, await page.EvalAsync<int[]>($"{View}.bands.drawn.slice().sort((a, b) => a - b)"));
        Assert.Equal(new[] { "1 min", "3 min", "5 min" }, await page.EvalAsync<string[]>("[...document.querySelectorAll('#patrol .pt-legend .legend-item')].map(e => e.textContent.trim())"));
        // the total's shares grow from 1 to 5 minutes, and every district's too
        var shares = await page.EvalAsync<JsonElement>("[...document.querySelectorAll('#patrol .pt-shares tbody tr')].map(tr => [...tr.querySelectorAll('td[data-share]')].map(td => td.dataset.share === '' ? null : +td.dataset.share))");
        foreach (var row in shares.EnumerateArray())
        {
            var values = row.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.Number).Select(v => v.GetDouble()).ToArray();
            for (var i = 1; i < values.Length; i++) Assert.True(values[i] + 1e-9 >= values[i - 1], $"a wider band covers less: {row}");
        }
        var total = api.GetProperty("total").GetProperty("bands").EnumerateArray().Single(b => b.GetProperty("seconds").GetDouble() == 300).GetProperty("area_share").GetDouble();
        Assert.Equal(total.ToString("R", CultureInfo.InvariantCulture), await page.Page.Locator("#patrol .pt-shares tr.pt-total td[data-share]").Last.GetAttributeAsync("data-share"));
        Assert.Equal("Total", await page.TextAsync("#patrol .pt-shares tr.pt-total td"));
        await page.Page.Locator("#patrol [data-metric='incidents']").ClickAsync();
        Assert.Equal("incidents", await page.Page.Locator("#patrol .pt-shares").GetAttributeAsync("data-metric"));

        // drawn under the live layers
        await page.WaitForAsync("sm.dashboard.patrol.rendered().bands > 0", "the bands on the map", 20_000);
        var styleOrder = (await page.EvalAsync<string[]>("sm.map.getStyle().layers.map(l => l.id)")).ToList();
        var live = await page.EvalAsync<string[]>("[...sm.dashboard.map.incidents.layerIds(), ...sm.dashboard.map.units.layerIds()]");
        Assert.All(live.Where(styleOrder.Contains), l => Assert.True(styleOrder.IndexOf("patrol-bands-fill") < styleOrder.IndexOf(l), $"patrol-bands-fill above {l}"));
        var drawnBands = await page.EvalAsync<int[]>("[...new Set(sm.map.queryRenderedFeatures({ layers: ['patrol-bands-fill'] }).map(f => f.properties.seconds))].sort((a, b) => a - b)");
        Assert.Contains(300, drawnBands);

        // an available unit moves: the bands are computed again without a click
        var fetches = await page.EvalAsync<int>($"{View}.bands.fetches");
        var units = await (await _api.GetAsync("/api/patrol-units?status=available&limit=1")).JsonAsync();
        var unit = units.GetProperty("features")[0];
        var at = unit.GetProperty("geometry").GetProperty("coordinates");
        var body = string.Create(CultureInfo.InvariantCulture,
            $"{{\"positions\":[{{\"unit_id\":{unit.Id()},\"recorded_at\":\"{Api.Iso(DateTimeOffset.UtcNow)}\",\"longitude\":{at[0].GetDouble() + 0.002},\"latitude\":{at[1].GetDouble()},\"speed_mps\":8,\"heading_deg\":90}}]}}");
        var moved = await _api.PostAsync("/api/patrol-units/positions", Api.Raw(body));
        Assert.True(moved.IsSuccessStatusCode, await moved.Content.ReadAsStringAsync());
        await page.WaitForAsync($"{View}.bands.fetches > {fetches} && !{View}.bands.loading", "the bands after the unit moved", 60_000);

        // switched off: no more band requests, nothing drawn
        await page.Page.Locator("#patrol input[data-layer='bands']").UncheckAsync();
        await page.WaitForAsync("sm.dashboard.patrol.rendered().bands === 0", "the bands hidden");
        Assert.Empty(page.ConsoleErrors);
    }

    [Fact]
    public async Task AViewerSeesTheRankingButNoAssignButtons()
    {
        var id = await CreateIncidentAsync(114.9, 40.802);
        try
        {
            await using var page = await fixture.OpenAsync(account: DashboardFixture.ViewerName);
            await OpenDispatchAsync(page, id);
            Assert.False(await page.EvalAsync<bool>($"{View}.dispatch.canAssign"));
            Assert.True(await page.EvalAsync<int>($"{View}.dispatch.candidates.length") > 0);
            Assert.Equal(0, await page.Page.Locator("#patrol [data-action='assign']").CountAsync());
            Assert.Equal("当前账号可查看排序，但无权调派警力。", await page.TextAsync("#patrol .pt-body > .hs-hint:last-child"));
            // and no status workflow or edit controls in the details either
            Assert.Equal(0, await page.Page.Locator("#details .workflow, #details [data-status]").CountAsync());
            Assert.Empty(page.FailedResponses);
        }
        finally
        {
            await CloseIncidentAsync(id);
        }
    }

    [Fact]
    public async Task ThePanelWithBandsAndADispatchRouteFitsALaptopScreenAndIsSavedAsAScreenshot()
    {
        var id = await CreateIncidentAsync(114.902, 40.798);
        try
        {
            await using var page = await fixture.OpenAsync(width: 1366, height: 768);
            await OpenDispatchAsync(page, id);
            await page.Page.Locator("#patrol input[data-layer='bands']").CheckAsync();
            await page.WaitForAsync($"{View}.bands.fetches > 0 && !{View}.bands.loading", "the bands", 90_000);
            await page.WaitForAsync("sm.dashboard.patrol.rendered().dispatch > 0 && sm.dashboard.patrol.rendered().bands > 0 && !sm.map.isMoving()", "bands and routes drawn", 20_000);
            await page.Page.EvaluateAsync("() => new Promise((resolve) => { const m = window.__situationMap.map; if (m.loaded()) resolve(true); else m.once('idle', () => resolve(true)); })");
            await page.Page.WaitForTimeoutAsync(600);

            // nothing of the panel is cut off, no table wider than the panel
            Assert.True(await page.EvalAsync<bool>("(() => { const r = document.querySelector('#patrol').getBoundingClientRect(); const m = document.querySelector('.map-area').getBoundingClientRect(); return r.left >= m.left && r.right <= m.right && r.bottom <= window.innerHeight && r.top >= m.top; })()"));
            Assert.True(await page.EvalAsync<bool>("(() => { const b = document.querySelector('#patrol .pt-body'); return b.scrollWidth <= b.clientWidth + 1; })()"), "the dispatch table overflows the panel");
            Assert.True(await page.EvalAsync<bool>("(() => { const t = document.querySelector('#patrol .pt-tabs'); return t.scrollWidth <= t.clientWidth + 1; })()"), "the tabs overflow");
            var directory = Path.Combine(TestDatabase.RepoRoot(), "artifacts", "screenshots");
            Directory.CreateDirectory(directory);
            var path = Path.Combine(directory, "patrol.png"); // docs/patrol.png is a copy of one
            await page.Page.ScreenshotAsync(new PageScreenshotOptions { Path = path });
            Assert.True(new FileInfo(path).Length > 100_000, "the screenshot looks empty");

            // the 1-3-5 tab fits too, in English
            await page.Page.EvaluateAsync("() => window.__situationMap.setLocale('en')");
            await page.Page.Locator("#patrol [data-tab='response']").ClickAsync();
            await page.WaitForAsync($"{View}.bands.rows > 1", "the share table");
            Assert.True(await page.EvalAsync<bool>("(() => { const b = document.querySelector('#patrol .pt-body'); return b.scrollWidth <= b.clientWidth + 1; })()"), "the share table overflows the panel");
            Assert.True(await page.EvalAsync<bool>("(() => { const t = document.querySelector('#patrol .pt-tabs'); return t.scrollWidth <= t.clientWidth + 1; })()"), "the English tabs overflow");
            await page.Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(directory, "patrol-bands-en.png") });
            Assert.Empty(page.ConsoleErrors);
        }
        finally
        {
            await CloseIncidentAsync(id);
        }
    }

    [Fact]
    public async Task TheRoutesTabGroupsTheRoutesByLevelWithTheirShiftsAndUnitsAndFliesToARoute()
    {
        await using var page = await fixture.OpenAsync(locale: "en-US", width: 1366, height: 768);
        await page.Page.Locator(".patrol-toggle").ClickAsync();
        await page.Page.Locator("#patrol [data-tab='routes']").ClickAsync();
        await page.WaitForAsync($"{View}.routes.count > 0 && !{View}.routes.loading", "the routes", 60_000);
        Assert.False(await page.EvalAsync<bool>($"{View}.routes.missing"));

        var overview = await (await _api.GetAsync("/api/patrols/overview")).JsonAsync();
        var routes = overview.GetProperty("routes").EnumerateArray().ToList();
        Assert.Equal(routes.Count, await page.EvalAsync<int>($"{View}.routes.count"));
        foreach (var level in new[] { 1, 2, 3 })
        {
            var ids = routes.Where(r => r.GetProperty("level").GetInt32() == level).Select(r => r.GetProperty("id").GetInt64()).Order().ToArray();
            var shown = (await page.EvalAsync<long[]>($"[...document.querySelectorAll(\"#patrol .pt-level[data-level='{level}'] .pt-route\")].map(li => +li.dataset.route)")).Order().ToArray();
            Assert.Equal(ids, shown);
        }
        // shift state and units on/off their route as the API says
        var withUnits = routes.First(r => r.GetProperty("units").GetArrayLength() > 0);
        var routeId = withUnits.GetProperty("id").GetInt64();
        var chipText = await page.TextAsync($"#patrol .pt-route[data-route='{routeId}'] .pt-route-head .pt-chip");
        Assert.Equal(withUnits.GetProperty("on_shift_now").GetBoolean() ? "on shift" : withUnits.GetProperty("status").GetString() == "active" ? "off shift" : chipText, chipText);
        var unit = withUnits.GetProperty("units")[0];
        var unitChip = page.Page.Locator($"#patrol .pt-route[data-route='{routeId}'] .pt-unit-chip[data-unit='{unit.GetProperty("unit_id").GetInt64()}']");
        Assert.Contains(unit.GetProperty("call_sign").GetString()!, await unitChip.TextContentAsync() ?? "", StringComparison.Ordinal);
        var onRoute = unit.GetProperty("on_route");
        Assert.EndsWith(onRoute.ValueKind == JsonValueKind.True ? "✓" : onRoute.ValueKind == JsonValueKind.False ? "✗" : "?", (await unitChip.TextContentAsync() ?? "").Trim(), StringComparison.Ordinal);
        var problems = routes.Sum(r => r.GetProperty("problems").GetArrayLength());
        Assert.Equal(problems, await page.Page.Locator("#patrol .pt-problems li").CountAsync());

        // a click on a route flies to it and outlines it
        await page.Page.Locator($"#patrol .pt-route[data-route='{routeId}'] .pt-route-name").ClickAsync();
        await page.WaitForAsync("!sm.map.isMoving() && sm.map.queryRenderedFeatures({ layers: ['patrol-route-highlight'] }).length > 0", "the highlighted route", 20_000);

        // hot cells reached per level, and the unreached ones on the map
        await page.WaitForAsync($"!{View}.reach.loading && ({View}.reach.levels > 0 || {View}.reach.error !== null || {View}.reach.missing)", "the hot-spot reach", 90_000);
        Assert.Null(await page.EvalAsync<string?>($"{View}.reach.error"));
        var reach = await (await _api.GetAsync("/api/patrols/hotspot-coverage?minutes=5")).JsonAsync();
        Assert.Equal(reach.GetProperty("levels").GetArrayLength(), await page.Page.Locator("#patrol .pt-reach-table tbody tr").CountAsync());
        Assert.Equal(reach.GetProperty("unreached").GetProperty("features").GetArrayLength(), await page.EvalAsync<int>($"{View}.reach.unreached"));
        await SaveArtifactAsync(page, "patrol-routes.png");
        Assert.True(await FitsAsync(page), "the routes tab overflows the panel");

        // the dosage of the last 8 hours
        await page.Page.Locator("#patrol [data-tab='dosage']").ClickAsync();
        await page.WaitForAsync($"!{View}.dosage.loading && ({View}.dosage.error !== null || document.querySelector('#patrol .pt-visibility') !== null || {View}.dosage.missing)", "the dosage", 60_000);
        Assert.Null(await page.EvalAsync<string?>($"{View}.dosage.error"));
        Assert.True(await page.Page.Locator("#patrol .pt-visibility tbody tr").CountAsync() > 0, "no street visibility by district");
        Assert.Contains(page.Requests, u => u.Contains("/api/patrols/dosage?from=", StringComparison.Ordinal));
        await SaveArtifactAsync(page, "patrol-dosage.png");
        Assert.True(await FitsAsync(page), "the dosage tab overflows the panel");
        Assert.Empty(page.ConsoleErrors);
    }

    [Fact]
    public async Task ASuggestedLoopIsDrawnWithNumberedStopsAndAcceptedAsAnActiveRoute()
    {
        await using var page = await fixture.OpenAsync(width: 1366, height: 768);
        await page.Page.Locator(".patrol-toggle").ClickAsync();
        await page.Page.Locator("#patrol [data-tab='suggest']").ClickAsync();
        var units = await (await _api.GetAsync("/api/patrol-units?status=available&mode=foot&limit=1")).JsonAsync();
        var unit = units.GetProperty("features")[0].Id();
        await page.Page.Locator("#patrol select[data-field='unit']").SelectOptionAsync(unit.ToString(CultureInfo.InvariantCulture));
        var minutes = page.Page.Locator("#patrol input[data-field='minutes']");
        await minutes.FillAsync("60");
        await minutes.DispatchEventAsync("change");
        await page.Page.Locator("#patrol [data-action='suggest']").ClickAsync();
        await page.WaitForAsync($"!{View}.suggestion.loading && ({View}.suggestion.stops > 0 || {View}.suggestion.error !== null || {View}.suggestion.missing)", "the suggestion", 90_000);
        Assert.Null(await page.EvalAsync<string?>($"{View}.suggestion.error"));
        var stops = await page.EvalAsync<int>($"{View}.suggestion.stops");
        Assert.Equal(stops, await page.Page.Locator("#patrol .pt-stops li").CountAsync());
        await page.WaitForAsync("sm.dashboard.patrol.rendered().suggestion > 0 && !sm.map.isMoving()", "the numbered stops on the map", 20_000);
        var numbers = await page.EvalAsync<int[]>("[...new Set(sm.map.queryRenderedFeatures({ layers: ['patrol-suggestion-stops'] }).map(f => f.properties.n))].sort((a, b) => a - b)");
        Assert.Equal(1, numbers[0]);
        Assert.True(await page.EvalAsync<int>("sm.map.queryRenderedFeatures({ layers: ['patrol-suggestion-line'] }).length") > 0, "the loop is not drawn");

        await SaveArtifactAsync(page, "patrol-suggest.png");
        Assert.True(await FitsAsync(page), "the suggestion tab overflows the panel");
        var name = page.Page.Locator("#patrol input[data-field='routeName']");
        await name.FillAsync("Browser test loop");
        await page.Page.Locator("#patrol [data-action='accept-route']").ClickAsync();
        await page.WaitForAsync($"{View}.suggestion.accepted !== null", "the accepted route", 30_000);
        var id = await page.EvalAsync<long>($"{View}.suggestion.accepted");
        try
        {
            var route = await (await _api.GetAsync($"/api/patrol-routes/{id}")).JsonAsync();
            Assert.Equal("MultiLineString", route.GetProperty("geometry").GetProperty("type").GetString());
            var p = route.GetProperty("properties");
            Assert.Equal("Browser test loop", p.GetProperty("name").GetString());
            Assert.Equal("active", p.GetProperty("status").GetString());
            Assert.Equal(2, p.GetProperty("level").GetInt32());
            Assert.Equal("foot", p.GetProperty("mode").GetString());
            Assert.Single(p.GetProperty("shift_windows").EnumerateArray());
            Assert.Equal($"已保存为线路 #{id}", await page.TextAsync("#patrol [data-action='accept-route']"));
            Assert.Empty(page.ConsoleErrors);
        }
        finally
        {
            await _api.DeleteAsync($"/api/patrol-routes/{id}");
        }
    }

    [Fact]
    public async Task ARouteDrawnByClickingWaypointsFollowsTheRoadsAndIsSavedAsAnActiveRoute()
    {
        // two junctions of the primary roads about a kilometre apart
        var roads = await (await _api.GetAsync("/api/roads?class=primary&limit=200")).JsonAsync();
        var ends = roads.GetProperty("features").EnumerateArray()
            .Select(f => f.GetProperty("geometry").GetProperty("coordinates")[0]).Select(c => (Lon: c[0].GetDouble(), Lat: c[1].GetDouble())).ToList();
        var a = ends[0];
        var b = ends.OrderBy(e => Math.Abs(Math.Sqrt(Math.Pow((e.Lon - a.Lon) * 84_000, 2) + Math.Pow((e.Lat - a.Lat) * 111_000, 2)) - 1_000)).First();
        var straight = Math.Sqrt(Math.Pow((b.Lon - a.Lon) * 84_000, 2) + Math.Pow((b.Lat - a.Lat) * 111_000, 2));

        await using var page = await fixture.OpenAsync(width: 1366, height: 768);
        await page.Page.Locator(".patrol-toggle").ClickAsync();
        await page.Page.Locator("#patrol [data-tab='suggest']").ClickAsync();
        await page.Page.Locator("#patrol [data-from='draw']").ClickAsync();
        // both points on the map to the right of the panel (which floats over the map's left part)
        await page.EvalAsync<bool>(string.Create(CultureInfo.InvariantCulture,
            $"(sm.map.fitBounds([[{Math.Min(a.Lon, b.Lon)}, {Math.Min(a.Lat, b.Lat)}], [{Math.Max(a.Lon, b.Lon)}, {Math.Max(a.Lat, b.Lat)}]], {{ padding: {{ top: 200, bottom: 200, left: 490, right: 60 }}, duration: 0 }}), true)"));
        await page.WaitForAsync("!sm.map.isMoving()", "the map to settle");
        await page.Page.Locator("#patrol [data-action='draw-waypoints']").ClickAsync();
        await page.WaitForAsync($"{View}.draw.active", "drawing mode");
        foreach (var (lon, lat, n) in new[] { (a.Lon, a.Lat, 1), (b.Lon, b.Lat, 2) })
        {
            var point = await page.EvalAsync<double[]>(string.Create(CultureInfo.InvariantCulture,
                $"(() => {{ const p = sm.map.project([{lon}, {lat}]), box = sm.map.getCanvas().getBoundingClientRect(); return [box.left + p.x, box.top + p.y]; }})()"));
            var hit = await page.EvalAsync<string>(string.Create(CultureInfo.InvariantCulture,
                $"(() => {{ const e = document.elementFromPoint({point[0]}, {point[1]}); return e.tagName + '.' + e.className + '#' + e.id + ' ' + e.parentElement?.className; }})()"));
            Assert.True(hit.StartsWith("CANVAS", StringComparison.Ordinal), $"waypoint {n} at {point[0]:0},{point[1]:0} would click {hit}");
            await page.Page.Mouse.ClickAsync((float)point[0], (float)point[1]);
            await page.WaitForAsync($"{View}.draw.waypoints === {n} && !{View}.draw.loading", $"waypoint {n}", 30_000);
        }
        await page.WaitForAsync($"{View}.draw.lengthM !== null", "the route along the roads", 30_000);
        Assert.Null(await page.EvalAsync<string?>($"{View}.draw.error"));
        var length = await page.EvalAsync<double>($"{View}.draw.lengthM");
        Assert.InRange(length, straight * 0.98, straight * 3); // along the streets, never shorter than the straight line (snapping aside)
        await page.Page.Locator("#patrol [data-action='draw-waypoints']").ClickAsync(); // finish
        await page.WaitForAsync($"!{View}.draw.active", "drawing finished");
        await page.WaitForAsync("sm.dashboard.patrol.rendered().suggestion > 0 && !sm.map.isMoving()", "the drawn route and its waypoints on the map", 20_000);
        Assert.True(await page.EvalAsync<int>("sm.map.queryRenderedFeatures({ layers: ['patrol-suggestion-line'] }).length") > 0, "the route is not drawn");
        await SaveArtifactAsync(page, "patrol-draw.png");
        Assert.True(await FitsAsync(page), "the drawing tab overflows the panel");

        await page.Page.Locator("#patrol input[data-field='routeName']").FillAsync("Browser test drawn route");
        await page.Page.Locator("#patrol [data-action='save-drawn']").ClickAsync();
        await page.WaitForAsync($"{View}.draw.saved !== null", "the saved route", 30_000);
        var id = await page.EvalAsync<long>($"{View}.draw.saved");
        try
        {
            var route = await (await _api.GetAsync($"/api/patrol-routes/{id}")).JsonAsync();
            Assert.Equal("MultiLineString", route.GetProperty("geometry").GetProperty("type").GetString());
            var p = route.GetProperty("properties");
            Assert.Equal("Browser test drawn route", p.GetProperty("name").GetString());
            Assert.Equal("vehicle", p.GetProperty("mode").GetString());
            Assert.Equal("active", p.GetProperty("status").GetString()); // accepted by the rules: a vehicle route on car roads
            Assert.Equal(length, p.GetProperty("length_m").GetDouble(), length * 0.01);
            Assert.Empty(page.ConsoleErrors);
        }
        finally
        {
            await _api.DeleteAsync($"/api/patrol-routes/{id}");
        }
    }

    // ---- helpers ----------------------------------------------------------------------------------------------------

    /// <summary>A screenshot of the page as a test artifact (artifacts/screenshots, not committed).</summary>
    private static async Task SaveArtifactAsync(DashboardPage page, string name)
    {
        var directory = Path.Combine(TestDatabase.RepoRoot(), "artifacts", "screenshots");
        Directory.CreateDirectory(directory);
        await page.Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(directory, name) });
    }

    /// <summary>The panel inside the map area and the window, and its body not wider than the panel.</summary>
    private static Task<bool> FitsAsync(DashboardPage page) => page.EvalAsync<bool>(
        "(() => { const r = document.querySelector('#patrol').getBoundingClientRect(); const m = document.querySelector('.map-area').getBoundingClientRect(); " +
        "const b = document.querySelector('#patrol .pt-body'); return r.left >= m.left && r.right <= m.right && r.bottom <= window.innerHeight && b.scrollWidth <= b.clientWidth + 1; })()");

    /// <summary>A fresh reported incident (open, 10 minutes old) near the centre of the demo city.</summary>
    private async Task<long> CreateIncidentAsync(double lon = Api.Lon, double lat = Api.Lat) =>
        (await _api.CreateAsync("incidents", Api.Incident(lon, lat, "robbery", 3, DateTimeOffset.UtcNow.AddMinutes(-10)))).Id();

    /// <summary>Cancels the incident (which releases its units) and deletes it.</summary>
    private async Task CloseIncidentAsync(long id)
    {
        var current = await (await _api.GetAsync($"/api/incidents/{id}")).JsonAsync();
        var status = current.GetProperty("properties").GetProperty("status").GetString();
        if (status is "reported" or "dispatched" or "on_scene")
        {
            var body = string.Create(CultureInfo.InvariantCulture, $"{{\"status\":\"cancelled\",\"version\":{current.Version()}}}");
            var cancelled = await _api.PostAsync($"/api/incidents/{id}/status", Api.Raw(body));
            Assert.True(cancelled.IsSuccessStatusCode, await cancelled.Content.ReadAsStringAsync());
        }
        var deleted = await _api.DeleteAsync($"/api/incidents/{id}");
        Assert.True(deleted.StatusCode is HttpStatusCode.NoContent or HttpStatusCode.NotFound);
    }

    /// <summary>Opens the incident's details from the feed and its dispatch view with the "Dispatch" action.</summary>
    private static async Task OpenDispatchAsync(DashboardPage page, long id)
    {
        await page.WaitForAsync($"sm.feedIds().includes({id})", "the incident in the feed", 30_000);
        await page.Page.Locator($"#feed .feed-item[data-id='{id}']").ClickAsync();
        await page.Page.Locator("#details [data-action='dispatch']").ClickAsync(new LocatorClickOptions { Timeout = 15_000 });
        await page.WaitForAsync($"{View}.open && {View}.incidentId === {id} && {View}.dispatch.fetches > 0 && !{View}.dispatch.loading", "the dispatch view", 30_000);
    }

    private async Task<int> CountDispatchesAsync(long unit, long incident)
    {
        var options = await (await _api.GetAsync($"/api/incidents/{incident}/dispatch?routes=0")).JsonAsync();
        return options.GetProperty("assigned").EnumerateArray().Count(a => a.GetProperty("unit_id").GetInt64() == unit);
    }
}
