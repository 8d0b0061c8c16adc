using System.Globalization;
using Microsoft.Playwright;
using SituationMap.Testing;
using SkiaSharp;

namespace SituationMap.Browser.Tests;

/// <summary>
/// The Export menu against the real server and the demo city: "Map view (PNG)" downloads the server's rendering of the
/// current view at the map's size, "Shift brief (PDF)" a one-page PDF, the layer-data links carry the view's bbox, and a
/// viewer (no export permission) has no Export button. State is read through <c>window.__situationMap.dashboard.exports</c>.
/// </summary>
[Collection("Dashboard")]
public sealed class ExportMenuTests(DashboardFixture fixture)
{
    [Fact]
    public async Task MapViewPngDownloadsTheServersRenderingOfTheCurrentViewAtTheMapsSize()
    {
        await using var page = await fixture.OpenAsync(locale: "en-US", width: 1280, height: 800);
        await page.JumpToAsync(114.90, 40.80, 13);
        await page.Page.Locator("#export-toggle").ClickAsync();
        Assert.Equal("Map view (PNG)", await page.TextAsync("#export-map-png .export-item-label"));
        var download = await page.Page.RunAndWaitForDownloadAsync(() => page.Page.Locator("#export-map-png").ClickAsync());

        Assert.Equal("situationmap-map.png", download.SuggestedFilename);
        var bytes = await SaveAsync(download);
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, bytes[..4]);
        using var image = SKBitmap.Decode(bytes);
        var (width, height) = await page.EvalAsync<int[]>("[sm.map.getContainer().clientWidth, sm.map.getContainer().clientHeight]") switch { var s => (s[0], s[1]) };
        Assert.Equal((width, height), (image.Width, image.Height));
        Assert.True(bytes.Length > 30_000, $"the PNG looks empty ({bytes.Length} bytes)");

        // the request carried the view the map shows and the layers switched on
        var request = page.Requests.Last(u => u.Contains("/api/exports/map.png", StringComparison.Ordinal));
        var query = System.Web.HttpUtility.ParseQueryString(new Uri(request).Query);
        var bbox = query["bbox"]!.Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        var bounds = await page.EvalAsync<double[]>("sm.map.getBounds().toArray().flat()");
        for (var i = 0; i < 4; i++) Assert.Equal(bounds[i], bbox[i], 5);
        Assert.Contains("incidents", query["layers"]!.Split(','));
        Assert.Equal("situationmap-map.png", await page.EvalAsync<string>("sm.dashboard.exports.lastExport"));
        Assert.Empty(page.ConsoleErrors);
    }

    [Fact]
    public async Task ShiftBriefDownloadsAOnePagePdf()
    {
        await using var page = await fixture.OpenAsync();
        await page.Page.Locator("#export-toggle").ClickAsync();
        Assert.Equal("交接班简报（PDF 文档）", await page.TextAsync("#export-brief-pdf .export-item-label"));
        var download = await page.Page.RunAndWaitForDownloadAsync(() => page.Page.Locator("#export-brief-pdf").ClickAsync());

        Assert.Equal("situation-brief.pdf", download.SuggestedFilename);
        var bytes = await SaveAsync(download);
        Assert.Equal("%PDF-", System.Text.Encoding.ASCII.GetString(bytes, 0, 5));
        Assert.InRange(bytes.Length, 50_000, 5_000_000);
        Assert.False(await page.EvalAsync<bool>("sm.dashboard.exports.open"), "the menu closes after the download");
        Assert.Empty(page.ConsoleErrors);
    }

    [Fact]
    public async Task LayerDataLinksCarryTheViewsBboxForEveryCollectionAndFormat()
    {
        await using var page = await fixture.OpenAsync(locale: "en-US");
        await page.Page.Locator("#export-toggle").ClickAsync();
        var links = await page.EvalAsync<string[]>("[...document.querySelectorAll('#export-menu a.export-format')].map(a => a.getAttribute('href'))");
        Assert.Equal(4 * 5, links.Length);
        var bounds = await page.EvalAsync<double[]>("sm.map.getBounds().toArray().flat()");
        var bbox = string.Join(',', bounds.Select(v => Math.Round(v, 6).ToString(CultureInfo.InvariantCulture)));
        Assert.Contains($"/api/exports/incidents.geojson?bbox={bbox}", links);
        Assert.Contains($"/api/exports/patrol_routes.shp.zip?bbox={bbox}", links);
        Assert.Contains($"/api/exports/zones.kml?bbox={bbox}", links);
        await page.Page.Keyboard.PressAsync("Escape");
        Assert.True(await page.Page.Locator("#export-menu").IsHiddenAsync());
    }

    [Fact]
    public async Task AViewerHasNoExportButton()
    {
        await using var page = await fixture.OpenAsync(account: DashboardFixture.ViewerName);
        Assert.Equal(0, await page.Page.Locator("#export-toggle").CountAsync());
        Assert.Null(await page.EvalAsync<object?>("sm.dashboard.exports"));
    }

    private static async Task<byte[]> SaveAsync(IDownload download)
    {
        var path = Path.Combine(Path.GetTempPath(), $"export-{Guid.NewGuid():N}");
        await download.SaveAsAsync(path);
        try
        {
            return await File.ReadAllBytesAsync(path);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
