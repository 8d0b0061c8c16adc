using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.Playwright;
using SituationMap.Testing;

namespace SituationMap.Browser.Tests;

/// <summary>
/// The Import panel against the real server and the demo city: a records-system CSV with a bad row, picked in the
/// browser (its header read there: x/y found by name), checked with a dry run (1 rejected, with its reason, nothing
/// written), then imported skipping the bad row: the created count, and the new incidents on the map and in the feed
/// through the server's 'reloaded' live event, without reloading the page. A refused import shows the server's problem
/// at its form field; a viewer has no Import button. State is read through
/// <c>window.__situationMap.dashboard.imports.view()</c>; a screenshot of the result goes to /tmp/import-panel.png
/// (docs/import-panel.png is a copy of one).
/// </summary>
[Collection("Dashboard")]
public sealed class ImportPanelTests(DashboardFixture fixture)
{
    private const string View = "sm.dashboard.imports.view()";
    private const double Lon = 114.902, Lat = 40.798;

    private readonly HttpClient _api = fixture.CreateClient();

    /// <summary>Three incidents of the last hour; the third has a severity out of range.</summary>
    private static string RecordsCsv(string tag)
    {
        var at = DateTimeOffset.UtcNow.AddMinutes(-20).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        return string.Create(CultureInfo.InvariantCulture,
            $"case_no,category,severity,occurred_at,lng,lat,address\n" +
            $"{tag}-1,property_theft,2,{at},{Lon:0.000000},{Lat:0.000000},\"Market St, stall 3\"\n" +
            $"{tag}-2,violent,3,{at},{Lon + 0.002:0.000000},{Lat + 0.001:0.000000},Station square\n" +
            $"{tag}-3,fraud,9,{at},{Lon:0.000000},{Lat - 0.001:0.000000},severity out of range\n");
    }

    private static async Task OpenPanelAsync(DashboardPage page)
    {
        await page.Page.Locator(".imports-toggle").ClickAsync();
        await page.WaitForAsync($"{View}.open", "the import panel open");
    }

    private static Task SetFileAsync(DashboardPage page, string name, string content) =>
        page.Page.Locator("#imports input[type='file']").SetInputFilesAsync(new FilePayload
        {
            Name = name,
            MimeType = "text/csv",
            Buffer = Encoding.UTF8.GetBytes(content),
        });

    [Fact]
    public async Task ADryRunShowsTheRejectedRowThenSkippingBadRowsImportsTheRestOntoTheMap()
    {
        var tag = "BT" + Guid.NewGuid().ToString("n")[..6];
        var source = "browser-" + tag.ToLowerInvariant();
        var ids = Array.Empty<long>();
        try
        {
            await using var page = await fixture.OpenAsync(locale: "en-US", width: 1600, height: 900);
            await OpenPanelAsync(page);
            Assert.Equal("Import", await page.TextAsync("#imports .cov-title"));
            Assert.Equal(new[] { "incidents", "cameras", "zones" }, await page.EvalAsync<string[]>($"{View}.layers"));

            // the header is read in the browser: longitude/latitude found by name, the identity mapping prefilled
            await SetFileAsync(page, "records.csv", RecordsCsv(tag));
            await page.WaitForAsync($"{View}.columns.length === 7", "the CSV header read");
            Assert.Equal("lng", await page.EvalAsync<string>($"{View}.x"));
            Assert.Equal("lat", await page.EvalAsync<string>($"{View}.y"));
            Assert.Equal("lng", await page.Page.Locator("#imports select[name='x']").InputValueAsync());
            var fields = await page.Page.Locator("#imports textarea[name='fields']").InputValueAsync();
            Assert.Contains("\"severity\": {\"column\":\"severity\"}", fields, StringComparison.Ordinal);
            await page.Page.Locator("#imports input[name='source']").FillAsync(source);
            await page.Page.Locator("#imports select[name='externalId']").SelectOptionAsync("case_no");

            // the dry run: 1 rejected with its reason, 2 would be created, nothing written
            var before = await fixture.Database.ScalarAsync($"SELECT count(*) FROM incidents WHERE source = '{source}'");
            Assert.Equal(0, before);
            await page.Page.Locator("#imports [data-action='dry-run']").ClickAsync();
            await page.WaitForAsync($"{View}.state === 'succeeded' && !{View}.running", "the dry run finished", 30_000);
            Assert.True(await page.EvalAsync<bool>($"{View}.result.dry_run"));
            Assert.Contains("1 rejected", await page.TextAsync("#imports .imp-summary"), StringComparison.Ordinal);
            Assert.Contains("Would create 2", await page.TextAsync("#imports .imp-upsert"), StringComparison.Ordinal);
            Assert.Equal("severity", await page.TextAsync("#imports .imp-rejects-table tr[data-row='3'] .imp-reject-field"));
            var reason = await page.TextAsync("#imports .imp-rejects-table tr[data-row='3'] .imp-reject-message");
            Assert.False(string.IsNullOrWhiteSpace(reason));
            var status = await (await _api.GetAsync($"/api/imports/{await page.EvalAsync<string>($"{View}.id")}")).JsonAsync();
            Assert.Equal(reason, status.GetProperty("result").GetProperty("rejects")[0].GetProperty("message").GetString());
            Assert.EndsWith("/rejects.csv", await page.Page.Locator("#imports .imp-rejects-link").GetAttributeAsync("href") ?? "", StringComparison.Ordinal);
            Assert.Equal(0, await fixture.Database.ScalarAsync($"SELECT count(*) FROM incidents WHERE source = '{source}'"));

            // the import, skipping the bad row: 2 created, and the page follows the 'reloaded' live event by itself
            await page.Page.Locator("#imports select[name='mode']").SelectOptionAsync("skip_bad_rows");
            await page.Page.Locator("#imports [data-action='import']").ClickAsync();
            await page.WaitForAsync($"{View}.state === 'succeeded' && !{View}.running && {View}.result.written", "the import finished", 30_000);
            Assert.Equal(2, await page.EvalAsync<int>($"{View}.result.created"));
            Assert.Equal("2", await page.Page.Locator("#imports .imp-upsert").GetAttributeAsync("data-created"));
            Assert.Contains("2 created", await page.TextAsync("#imports .imp-upsert"), StringComparison.Ordinal);
            Assert.Contains("1 rejected", await page.TextAsync("#imports .imp-summary"), StringComparison.Ordinal);
            Assert.Equal(2, await fixture.Database.ScalarAsync($"SELECT count(*) FROM incidents WHERE source = '{source}'"));
            var first = await fixture.Database.ScalarAsync($"SELECT id FROM incidents WHERE source = '{source}' AND external_id = '{tag}-1'");
            var second = await fixture.Database.ScalarAsync($"SELECT id FROM incidents WHERE source = '{source}' AND external_id = '{tag}-2'");
            ids = [first, second];

            await page.WaitForAsync($"sm.feedIds().includes({first}) && sm.feedIds().includes({second})", "the imported incidents in the feed", 20_000);
            await page.JumpToAsync(Lon + 0.001, Lat, 16);
            await page.WaitForAsync($"sm.renderedIncident({first}) !== null && sm.renderedIncident({second}) !== null", "the imported incidents on the map", 20_000);
            var drawn = (await page.RenderedIncidentAsync(first))!.Value;
            Assert.Equal("property_theft", drawn.GetProperty("category").GetString());

            await page.Page.WaitForTimeoutAsync(300);
            await page.Page.ScreenshotAsync(new PageScreenshotOptions { Path = "/tmp/import-panel.png" });
            // the panel with the toolbar above it, small enough for the docs (docs/import-panel.png is a copy of one)
            var box = (await page.Page.Locator("#imports").BoundingBoxAsync())!;
            await page.Page.ScreenshotAsync(new PageScreenshotOptions
            {
                Path = "/tmp/import-panel-small.png",
                Clip = new Clip { X = box.X - 14, Y = box.Y - 56, Width = box.Width + 180, Height = box.Height + 68 },
            });
            Assert.True(await page.EvalAsync<bool>("(() => { const r = document.querySelector('#imports').getBoundingClientRect(); return r.bottom <= window.innerHeight && r.top >= 0; })()"));
            Assert.True(await page.EvalAsync<bool>("(() => { const b = document.querySelector('#imports .imp-body'); return b.scrollWidth <= b.clientWidth + 1; })()"), "the panel overflows sideways");
            Assert.Empty(page.ConsoleErrors);
        }
        finally
        {
            foreach (var id in ids) await DeleteIncidentAsync(id);
        }
    }

    [Fact]
    public async Task ALargeDryRunShowsItsProgressWhileTheServerReadsItAndCountsEveryRow()
    {
        const int rows = 40_000;
        var at = DateTimeOffset.UtcNow.AddHours(-2).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        var csv = new StringBuilder("case_no,category,severity,occurred_at,lng,lat\n");
        for (var i = 0; i < rows; i++)
            csv.Append(CultureInfo.InvariantCulture, $"P-{i},traffic,{1 + (i % 4)},{at},{Lon + (i % 200) * 0.00005:0.000000},{Lat + (i / 200) * 0.00005:0.000000}\n");

        await using var page = await fixture.OpenAsync(locale: "en-US");
        await OpenPanelAsync(page);
        await SetFileAsync(page, "large.csv", csv.ToString());
        await page.WaitForAsync($"{View}.columns.length === 6", "the CSV header read");
        await page.Page.Locator("#imports input[name='source']").FillAsync("browser-large");
        await page.Page.Locator("#imports [data-action='dry-run']").ClickAsync();
        await page.WaitForAsync("document.querySelector('#imports .imp-bar[role=progressbar]') !== null", "the progress bar");
        await page.WaitForAsync($"{View}.state === 'succeeded' && !{View}.running", "the dry run finished", 120_000);

        Assert.True(await page.EvalAsync<int>($"{View}.polls") >= 1, "the job was never polled");
        Assert.NotEmpty(await page.EvalAsync<string[]>($"{View}.phases"));
        Assert.Equal(rows, await page.EvalAsync<int>($"{View}.result.rows_read"));
        Assert.Equal(rows, await page.EvalAsync<int>($"{View}.result.created"));
        Assert.Contains("Would create 40,000", await page.TextAsync("#imports .imp-upsert"), StringComparison.Ordinal);
        Assert.Equal(0, await fixture.Database.ScalarAsync("SELECT count(*) FROM incidents WHERE source = 'browser-large'"));
        Assert.Empty(page.ConsoleErrors);
    }

    [Fact]
    public async Task ARefusedImportShowsTheServerProblemAtItsFieldAndOnePanelIsOpenAtATime()
    {
        await using var page = await fixture.OpenAsync(locale: "en-US");
        await page.Page.Locator(".patrol-toggle").ClickAsync();
        await page.WaitForAsync("sm.dashboard.patrol.open", "the patrol panel open");
        await OpenPanelAsync(page);
        Assert.False(await page.EvalAsync<bool>("sm.dashboard.patrol.open"));

        await SetFileAsync(page, "records.csv", RecordsCsv("RF"));
        await page.WaitForAsync($"{View}.columns.length === 7", "the CSV header read");
        await page.Page.Locator("#imports select[name='crs']").SelectOptionAsync("other");
        await page.Page.Locator("#imports input[name='otherCrs']").FillAsync("EPSG:999999");
        await page.Page.Locator("#imports [data-action='dry-run']").ClickAsync();
        await page.WaitForAsync($"{View}.state === 'refused' && !{View}.running", "the import refused", 30_000);
        Assert.Contains("/options/crs", await page.TextAsync("#imports [data-field='crs'] .imp-problems"), StringComparison.Ordinal);
        Assert.Equal("crs", await page.EvalAsync<string>($"{View}.problems[0].place"));

        // the form's own checks: a text that is no EPSG code is not sent at all
        var requests = page.Requests.Count(r => r.Contains("/api/imports", StringComparison.Ordinal));
        await page.Page.Locator("#imports input[name='otherCrs']").FillAsync("UTM 50");
        await page.Page.Locator("#imports [data-action='import']").ClickAsync();
        await page.WaitForAsync($"{View}.problems.some(p => p.place === 'crs' && p.text.includes('UTM 50'))", "the EPSG problem");
        Assert.Equal(requests, page.Requests.Count(r => r.Contains("/api/imports", StringComparison.Ordinal)));

        // in Chinese the panel keeps its state: the problem is shown again in the new language
        await page.Page.EvaluateAsync("() => window.__situationMap.setLocale('zh-CN')");
        Assert.Equal("数据导入", await page.TextAsync("#imports .cov-title"));
        Assert.Contains("不是 EPSG 代码", await page.TextAsync("#imports [data-field='crs'] .imp-problems"), StringComparison.Ordinal);
        Assert.Equal("lng", await page.Page.Locator("#imports select[name='x']").InputValueAsync());
        await page.Page.ScreenshotAsync(new PageScreenshotOptions { Path = "/tmp/import-panel-zh.png" });
        Assert.Empty(page.ConsoleErrors);
    }

    [Fact]
    public async Task AViewerHasNoImportButton()
    {
        await using var page = await fixture.OpenAsync(locale: "en-US", account: DashboardFixture.ViewerName);
        Assert.Equal(0, await page.Page.Locator(".imports-toggle").CountAsync());
        Assert.True(await page.EvalAsync<bool>("sm.dashboard.imports === null"));
    }

    private async Task DeleteIncidentAsync(long id)
    {
        var current = await (await _api.GetAsync($"/api/incidents/{id}")).JsonAsync();
        if (current.GetProperty("properties").GetProperty("status").GetString() is "reported" or "dispatched" or "on_scene")
        {
            var body = string.Create(CultureInfo.InvariantCulture, $"{{\"status\":\"cancelled\",\"version\":{current.Version()}}}");
            Assert.True((await _api.PostAsync($"/api/incidents/{id}/status", Api.Raw(body))).IsSuccessStatusCode);
        }
        var deleted = await _api.DeleteAsync($"/api/incidents/{id}");
        Assert.True(deleted.StatusCode is HttpStatusCode.NoContent or HttpStatusCode.NotFound);
    }
}
