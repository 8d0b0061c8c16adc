using System.Globalization;
using System.Text.RegularExpressions;
using System.Web;
using Microsoft.Playwright;
using SituationMap.Testing;

namespace SituationMap.Browser.Tests;

/// <summary>
/// The hotspots panel against the real server and the demo city: Gi* cells and the density image on the map with
/// their legends, a clicked cell's statistics, CompStat as table, chart and CSV, the PNG export, and the refresh when
/// the server recomputes. State is read through <c>window.__situationMap.dashboard.hotspots.view()</c> and the map.
/// </summary>
[Collection("Dashboard")]
public sealed partial class HotspotsPanelTests(DashboardFixture fixture)
{
    private const string View = "sm.dashboard.hotspots.view()";

    private readonly HttpClient _api = fixture.CreateClient();

    private static async Task OpenPanelAsync(DashboardPage page)
    {
        await page.Page.Locator(".hotspots-toggle").ClickAsync();
        await page.WaitForAsync($"{View}.open && {View}.computedAt !== null && !{View}.loading", "the first hotspot result", 60_000);
    }

    [Fact]
    public async Task GiStarHotSpotsOfTheDashboardWindowAreDrawnAsCellsBelowTheLiveLayersWithALegend()
    {
        await using var page = await fixture.OpenAsync();
        await OpenPanelAsync(page);

        Assert.Equal("gistar", await page.EvalAsync<string>($"{View}.method"));
        Assert.Null(await page.EvalAsync<string?>($"{View}.error"));
        // the period is the dashboard's time window (last 24 h), open-ended
        var query = HttpUtility.ParseQueryString(new Uri(fixture.BaseAddress, await page.EvalAsync<string>($"{View}.url")).Query);
        var from = DateTimeOffset.Parse(query["from"]!, CultureInfo.InvariantCulture);
        Assert.InRange((DateTimeOffset.UtcNow.AddHours(-24) - from).TotalMinutes, 0, 2);
        Assert.Null(query["to"]);
        Assert.Equal("hex", query["grid"]);

        await page.WaitForAsync($"{View}.renderedCells > 0", "Gi* cells on the map");
        var classes = await page.EvalAsync<string[]>("[...new Set(sm.map.queryRenderedFeatures({ layers: ['hotspots-cells'] }).map(f => f.properties.class))]");
        Assert.Contains(classes, c => c.StartsWith("hot_", StringComparison.Ordinal));
        Assert.All(classes, c => Assert.Matches("^(hot|cold)_(90|95|99)$|^not_significant$", c));

        // the analysis is drawn below the operational layers
        var order = (await page.EvalAsync<string[]>("sm.map.getStyle().layers.map(l => l.id)")).ToList();
        var live = await page.EvalAsync<string[]>("[...sm.dashboard.map.incidents.layerIds(), ...sm.dashboard.map.units.layerIds()]");
        Assert.All(live.Where(order.Contains), id => Assert.True(order.IndexOf("hotspots-cells") < order.IndexOf(id), $"hotspots-cells above {id}"));

        string[] legend = ["hot_99", "hot_95", "hot_90", "cold_90", "cold_95", "cold_99", "not_significant"];
        Assert.Equal(legend, await page.EvalAsync<string[]>($"{View}.legend"));
        Assert.Equal("热点 – 99% 置信度", await page.TextAsync("#hotspots [data-legend='hot_99'] .hs-legend-label"));
        Assert.StartsWith("计算于 ", await page.TextAsync("#hotspots .hs-computed"), StringComparison.Ordinal);
        Assert.Empty(page.ConsoleErrors);
    }

    [Fact]
    public async Task ClickingAHotCellShowsItsCountZScorePValueAndClass()
    {
        await using var page = await fixture.OpenAsync(locale: "en-US");
        await OpenPanelAsync(page);
        await page.JumpToAsync(Api.Lon, Api.Lat, 13);
        await page.WaitForAsync($"{View}.renderedCells > 0", "Gi* cells on the map");

        // the centre of a hot cell where the map itself (not the panel, not an incident or unit) takes the click
        var point = await page.EvalAsync<double[]?>("""
            (() => {
              const map = sm.map, canvas = map.getCanvas(), box = canvas.getBoundingClientRect();
              for (const f of map.queryRenderedFeatures({ layers: ['hotspots-cells'] })) {
                if (!f.properties.class.startsWith('hot_')) continue;
                const ring = f.geometry.coordinates[0].slice(0, -1);
                const c = map.project([ring.reduce((a, p) => a + p[0], 0) / ring.length, ring.reduce((a, p) => a + p[1], 0) / ring.length]);
                const x = box.left + c.x, y = box.top + c.y;
                if (document.elementFromPoint(x, y) !== canvas || sm.dashboard.map.featureAt(c)) continue;
                return [x, y];
              }
              return null;
            })()
            """);
        Assert.NotNull(point);
        await page.Page.Mouse.ClickAsync((float)point[0], (float)point[1]);
        await page.WaitForAsync("document.querySelector('.hotspot-popup .hs-cell') !== null", "the cell popup");

        var text = await page.TextAsync(".hotspot-popup .hs-cell");
        Assert.Matches("^Hot spot – 9[059] % confidence", text);
        foreach (var label in new[] { "District", "Incidents", "z-score", "p-value" }) Assert.Contains(label, text);
        Assert.Matches(@"z-score\s*[0-9.]+", text);
        Assert.True(await page.EvalAsync<int>("sm.map.queryRenderedFeatures({ layers: ['hotspots-cell-selected'] }).length") > 0, "the clicked cell is not highlighted");
        Assert.True(await page.EvalAsync<bool>("document.querySelector('#details').hidden"), "the click also opened the details panel");
    }

    /// <summary>The screen point of the centre of a drawn cell whose class matches, where the map itself takes the click.</summary>
    private static Task<double[]?> CellPointAsync(DashboardPage page, string classPattern) => page.EvalAsync<double[]?>($$"""
        (() => {
          const map = sm.map, canvas = map.getCanvas(), box = canvas.getBoundingClientRect(), wanted = new RegExp({{System.Text.Json.JsonSerializer.Serialize(classPattern)}});
          for (const f of map.queryRenderedFeatures({ layers: ['hotspots-cells'] })) {
            if (!wanted.test(f.properties.class)) continue;
            const ring = f.geometry.coordinates[0].slice(0, -1);
            const c = map.project([ring.reduce((a, p) => a + p[0], 0) / ring.length, ring.reduce((a, p) => a + p[1], 0) / ring.length]);
            const x = box.left + c.x, y = box.top + c.y;
            if (document.elementFromPoint(x, y) !== canvas || sm.dashboard.map.featureAt(c)) continue;
            return [x, y];
          }
          return null;
        })()
        """);

    /// <summary>Switches the open panel to a cell method over the last 90 days and waits for its cells on the map.</summary>
    private static async Task ShowMethodAsync(DashboardPage page, string method)
    {
        await page.Page.Locator("#hotspots select[data-field='window']").SelectOptionAsync("90d");
        await page.Page.Locator($"#hotspots [data-method='{method}']").ClickAsync();
        await page.WaitForAsync($"{View}.method === '{method}' && {View}.url?.startsWith('/api/hotspots/{method}?') && {View}.url.includes('from=') && !{View}.loading && {View}.computedAt !== null", $"the {method} result", 120_000);
        await page.JumpToAsync(Api.Lon, Api.Lat, 13);
        await page.WaitForAsync($"{View}.renderedCells > 0", $"{method} cells on the map");
        Assert.Null(await page.EvalAsync<string?>($"{View}.error"));
    }

    [Fact]
    public async Task LocalMoranClustersAreDrawnAndAClickedClusterShowsItsClassZAndPseudoP()
    {
        await using var page = await fixture.OpenAsync(locale: "en-US");
        await OpenPanelAsync(page);
        await ShowMethodAsync(page, "lisa");
        var legend = await page.EvalAsync<string[]>($"{View}.legend");
        Assert.Contains("high_high", legend);
        Assert.Contains("not_significant", legend);
        // the summary carries global Moran's I with its z-scores
        var global = page.Page.Locator("#hotspots .hs-global[data-global='moran']");
        Assert.Equal(1, await global.CountAsync());
        Assert.Matches(@"^Global Moran's I = -?[0-9.]+ \(E\[I\] = -?[0-9.]+\); normal z = -?[0-9.,]+, p = ", (await global.TextContentAsync())!);

        var point = await CellPointAsync(page, "^high_high$");
        Assert.NotNull(point);
        await page.Page.Mouse.ClickAsync((float)point[0], (float)point[1]);
        await page.WaitForAsync("document.querySelector('.hotspot-popup .hs-cell') !== null", "the cell popup");
        var text = await page.TextAsync(".hotspot-popup .hs-cell");
        Assert.StartsWith("High-high cluster", text, StringComparison.Ordinal);
        Assert.Matches(@"z-score \(permutations\)\s*-?[0-9.]+", text);
        Assert.Matches(@"Pseudo p-value\s*(< )?0\.[0-9]{3}", text);
        Assert.Matches(@"Local Moran's I\s*-?[0-9.]+", text);
        Assert.Contains("Quadrant", text);
        Assert.Empty(page.ConsoleErrors);
    }

    [Fact]
    public async Task EmergingHotSpotsAreDrawnAndAClickedCellShowsItsPatternZPAndTrend()
    {
        await using var page = await fixture.OpenAsync(locale: "en-US");
        await OpenPanelAsync(page);
        await ShowMethodAsync(page, "emerging");
        var legend = await page.EvalAsync<string[]>($"{View}.legend");
        Assert.Contains(legend, c => c.EndsWith("_hot_spot", StringComparison.Ordinal));

        var point = await CellPointAsync(page, "_(hot|cold)_spot$");
        Assert.NotNull(point);
        await page.Page.Mouse.ClickAsync((float)point[0], (float)point[1]);
        await page.WaitForAsync("document.querySelector('.hotspot-popup .hs-cell') !== null", "the cell popup");
        var text = await page.TextAsync(".hotspot-popup .hs-cell");
        Assert.Matches("^(New|Consecutive|Intensifying|Persistent|Diminishing|Sporadic|Oscillating|Historical) (hot|cold) spot", text);
        Assert.Matches(@"z-score\s*-?[0-9.]+", text);
        Assert.Matches(@"p-value\s*(< )?0\.[0-9]{3}", text);
        Assert.Contains("Last time step", text);
        // the Mann–Kendall trend of the cell's z-scores: direction, τ and p
        Assert.Matches(@"Trend\s*(Increasing|Decreasing|No significant trend) \(τ = -?[0-9.]+, p = (< )?0\.[0-9]{3}\)", text);
        Assert.Empty(page.ConsoleErrors);
    }

    [Fact]
    public async Task DensityIsDrawnAsAnImageWithALegendInIncidentsPerSquareKilometre()
    {
        await using var page = await fixture.OpenAsync();
        await OpenPanelAsync(page);
        await page.Page.Locator("#hotspots [data-method='density']").ClickAsync();
        await page.WaitForAsync($"{View}.method === 'density' && {View}.densityLoaded && !{View}.loading", "the density image", 60_000);

        Assert.True(await page.EvalAsync<bool>("sm.map.getSource('hotspots:density').loaded()"));
        Assert.Equal("visible", await page.EvalAsync<string>("sm.map.getLayoutProperty('hotspots-density', 'visibility')"));
        Assert.Equal("none", await page.EvalAsync<string>("sm.map.getLayoutProperty('hotspots-cells', 'visibility')"));
        Assert.StartsWith("/api/hotspots/density?", await page.EvalAsync<string>($"{View}.url"), StringComparison.Ordinal);
        var legend = await page.EvalAsync<string[]>($"{View}.legend");
        Assert.Equal(6, legend.Length);
        Assert.Equal("起/平方公里", await page.TextAsync("#hotspots .hs-legend .legend-caption"));
        // thresholds in real units, rising
        var lows = await page.EvalAsync<double[]>("[...document.querySelectorAll('#hotspots [data-legend^=density] span:last-child')].map(s => parseFloat(s.textContent.replaceAll(',', '').match(/[0-9.]+/)[0]))");
        Assert.Equal(lows.Order().ToArray(), lows);
        Assert.Empty(page.ConsoleErrors);
    }

    [Fact]
    public async Task CompStatShowsATableAndAChartAndExportsTheSameQueryAsCsv()
    {
        await using var page = await fixture.OpenAsync(locale: "en-US");
        await OpenPanelAsync(page);
        await page.Page.Locator("#hotspots [data-tab='compstat']").ClickAsync();
        await page.WaitForAsync($"{View}.compstat.rows > 0 && {View}.compstat.chart", "the CompStat table and chart", 60_000);

        Assert.True(await page.Page.Locator("#hotspots .compstat-chart canvas").CountAsync() > 0);
        var first = page.Page.Locator("#hotspots .compstat-table tbody tr").First;
        Assert.Equal("*", await first.GetAttributeAsync("data-district"));
        Assert.Equal("*", await first.GetAttributeAsync("data-category"));
        Assert.Equal("City", (await first.Locator("td").First.TextContentAsync())?.Trim());
        Assert.True(await page.Page.Locator("#hotspots .compstat-table tbody tr[data-category='violent']").CountAsync() > 1);

        // the CSV link carries the table's query; after a change, the new one
        Assert.Equal("/api/hotspots/compstat?days=28", await page.EvalAsync<string>($"{View}.compstat.url"));
        Assert.Equal("/api/hotspots/compstat.csv?days=28", await page.Page.Locator("#hotspots a.compstat-csv").GetAttributeAsync("href"));
        await page.Page.Locator("#hotspots select[data-field='days']").SelectOptionAsync("7");
        await page.WaitForAsync($"{View}.compstat.url === '/api/hotspots/compstat?days=7' && !{View}.compstat.loading", "the 7-day table");
        var href = await page.Page.Locator("#hotspots a.compstat-csv").GetAttributeAsync("href");
        Assert.Equal("/api/hotspots/compstat.csv?days=7", href);

        var csv = await page.Page.Context.APIRequest.GetAsync(new Uri(fixture.BaseAddress, href).ToString());
        Assert.Equal(200, csv.Status);
        Assert.StartsWith("text/csv", csv.Headers["content-type"], StringComparison.Ordinal);
        Assert.StartsWith("district,district_name,category,current,previous", await csv.TextAsync(), StringComparison.Ordinal);
        Assert.Empty(page.ConsoleErrors);
    }

    [Fact]
    public async Task AViewerAnalysesButIsOfferedNoExport()
    {
        await using var page = await fixture.OpenAsync(account: DashboardFixture.ViewerName);
        await OpenPanelAsync(page);
        Assert.Equal(0, await page.Page.Locator("#hotspots [data-action='export-png']").CountAsync());
        await page.Page.Locator("#hotspots [data-tab='compstat']").ClickAsync();
        await page.WaitForAsync($"{View}.compstat.rows > 0", "the CompStat table");
        Assert.Equal(0, await page.Page.Locator("#hotspots a.compstat-csv").CountAsync());
        Assert.Null(await page.EvalAsync<string?>($"{View}.compstat.csv"));
        Assert.Empty(page.FailedResponses);
    }

    [Fact]
    public async Task TheMapWithTheResultIsExportedAsAPngNamedAfterTheMethodAndTime()
    {
        await using var page = await fixture.OpenAsync();
        await OpenPanelAsync(page);
        var download = await page.Page.RunAndWaitForDownloadAsync(() => page.Page.Locator("#hotspots [data-action='export-png']").ClickAsync());

        Assert.Matches(PngName(), download.SuggestedFilename);
        var path = Path.Combine(Path.GetTempPath(), $"hotspots-{Guid.NewGuid():N}.png");
        await download.SaveAsAsync(path);
        try
        {
            var bytes = await File.ReadAllBytesAsync(path);
            Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, bytes[..4]);
            Assert.True(bytes.Length > 50_000, $"the PNG looks empty ({bytes.Length} bytes)");
        }
        finally
        {
            File.Delete(path);
        }
        Assert.Equal(download.SuggestedFilename, await page.EvalAsync<string>($"{View}.lastExport"));
    }

    [Fact]
    public async Task WhenIncidentsChangeTheServerRecomputesAndThePanelShowsTheNewResult()
    {
        await using var page = await fixture.OpenAsync();
        await page.WaitForAsync("sm.connection()?.phase === 'live'", "the live connection");
        await OpenPanelAsync(page);
        var before = await page.EvalAsync<string>($"{View}.computedAt");

        var id = (await _api.CreateAsync("incidents", Api.Incident(114.9012, 40.8023, "robbery", 3, DateTimeOffset.UtcNow.AddMinutes(-2)))).Id();
        try
        {
            // HotspotsRecomputed arrives at the server's next refresh (Hotspots:RefreshInterval: 2 s in this fixture)
            await page.WaitForAsync($"{View}.computedAt !== '{before}' && !{View}.loading", "a recomputed result", 30_000);
            Assert.Null(await page.EvalAsync<string?>($"{View}.error"));
            Assert.Contains(DateTimeOffset.Parse(await page.EvalAsync<string>($"{View}.computedAt"), CultureInfo.InvariantCulture).ToOffset(TimeSpan.FromHours(8)).ToString("HH:mm:ss", CultureInfo.InvariantCulture),
                await page.TextAsync("#hotspots .hs-computed"), StringComparison.Ordinal);
        }
        finally
        {
            await _api.DeleteAsync($"/api/incidents/{id}");
        }
    }

    [Fact]
    public async Task TheHotspotsScreenshotIsSavedAsATestArtifact()
    {
        var directory = Path.Combine(TestDatabase.RepoRoot(), "artifacts", "screenshots");
        Directory.CreateDirectory(directory);
        await using var page = await fixture.OpenAsync();
        await OpenPanelAsync(page);
        await page.WaitForAsync($"{View}.renderedCells > 0", "Gi* cells on the map");
        await page.Page.WaitForTimeoutAsync(800);
        var path = Path.Combine(directory, "hotspots.png");
        await page.Page.ScreenshotAsync(new PageScreenshotOptions { Path = path });
        Assert.True(new FileInfo(path).Length > 100_000, "the screenshot looks empty");
        // nothing of the panel is cut off on the laptop layout either
        await page.Page.SetViewportSizeAsync(1366, 768);
        await page.Page.WaitForTimeoutAsync(500);
        Assert.True(await page.EvalAsync<bool>("(() => { const r = document.querySelector('#hotspots').getBoundingClientRect(); return r.right <= document.querySelector('.map-area').getBoundingClientRect().right && r.bottom <= window.innerHeight; })()"));
    }

    [GeneratedRegex(@"^situationmap-hotspots-gistar-\d{4}-\d{2}-\d{2}-\d{4}\.png$")]
    private static partial Regex PngName();
}
