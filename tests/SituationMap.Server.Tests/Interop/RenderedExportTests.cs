using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using NetTopologySuite.Geometries;
using SituationMap.Server.Accounts;
using SituationMap.Server.Interop.Rendering;
using SituationMap.Testing;
using SkiaSharp;
using static SituationMap.Testing.Api;

namespace SituationMap.Server.Tests.Interop;

/// <summary>
/// Two districts side by side (west SA, east SB), a cluster of violent incidents in each, a commander scoped to SA and
/// a viewer (no export permission).
/// </summary>
public sealed class RenderServer : ServerFixture
{
    public const double West = 118.00, East = 118.02, Lat = 41.00;
    public const int PerCluster = 25;

    /// <summary>The map box: both districts, the clusters at a third and two thirds of the width.</summary>
    public static readonly Envelope Box = new(117.99, 118.03, 40.99, 41.01);

    public string ScopedToken { get; private set; } = "";

    public string ViewerToken { get; private set; } = "";

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var client = CreateClient();
        await client.CreateAsync("districts", Feature(Square(West, Lat, 0.0099), new JsonObject { ["code"] = "SA", ["name"] = "西区", ["name_en"] = "West" }));
        await client.CreateAsync("districts", Feature(Square(East, Lat, 0.0099), new JsonObject { ["code"] = "SB", ["name"] = "东区", ["name_en"] = "East" }));
        var occurred = DateTimeOffset.UtcNow.AddHours(-1);
        for (var i = 0; i < PerCluster; i++)
        {
            var (dx, dy) = (0.0004 * (i % 5 - 2), 0.0004 * (i / 5 - 2));
            await client.CreateAsync("incidents", Incident(West + dx, Lat + dy, "violent", 4, occurred));
            await client.CreateAsync("incidents", Incident(East + dx, Lat + dy, "violent", 4, occurred));
        }
        ScopedToken = await CreateTokenAsync("scoped-exporter", [Roles.Commander], ["SA"]);
        ViewerToken = await CreateTokenAsync("viewer-no-export", [Roles.Viewer], []);
    }
}

public sealed class RenderedExportTests(RenderServer server) : IClassFixture<RenderServer>
{
    private const int Width = 640, Height = 400;
    private static readonly string Bbox = string.Join(',', new[] { RenderServer.Box.MinX, RenderServer.Box.MinY, RenderServer.Box.MaxX, RenderServer.Box.MaxY }
        .Select(v => v.ToString(CultureInfo.InvariantCulture)));

    private readonly HttpClient _all = server.CreateClient();
    private readonly HttpClient _scoped = server.CreateClient(server.ScopedToken);

    [Fact]
    public async Task MapPngDecodesAtTheAskedSizeAndTheIncidentClusterIsDrawnOverTheBasemap()
    {
        using var incidents = await MapAsync(_all, "incidents");
        using var basemap = await MapAsync(_all, "");
        Assert.Equal((Width, Height), (incidents.Width, incidents.Height));
        var (x, y) = PixelOf(RenderServer.West, RenderServer.Lat);
        Assert.True(Reddish(incidents, x, y, 12) > 20, "the violent category's red dots are drawn at the cluster");
        Assert.Equal(0, Reddish(basemap, x, y, 12));
        Assert.True(Differing(incidents, basemap, x, y, 12) > 100);
    }

    [Fact]
    public async Task ABoxWithNothingInItGivesTheBackgroundOnly()
    {
        using var png = await MapAsync(_all, "incidents,cameras,zones,routes,units", bbox: "10,10,10.05,10.03");
        var background = MapTheme.Night.Background;
        var centre = png.GetPixel(Width / 2, Height / 2);
        Assert.Equal(background, centre);
        // the whole middle of the map (away from the header, legend, scale bar and attribution) is background
        for (var y = Height / 4; y < Height * 3 / 4; y += 7)
            for (var x = Width / 4; x < Width * 3 / 4; x += 7)
                Assert.Equal(background, png.GetPixel(x, y));
    }

    [Fact]
    public async Task AScopedAccountsMapOmitsAnotherDistrictsIncidents()
    {
        using var scoped = await MapAsync(_scoped, "incidents");
        using var scopedBasemap = await MapAsync(_scoped, "");
        using var everything = await MapAsync(_all, "incidents");
        var (wx, wy) = PixelOf(RenderServer.West, RenderServer.Lat);
        var (ex, ey) = PixelOf(RenderServer.East, RenderServer.Lat);
        Assert.True(Differing(scoped, scopedBasemap, wx, wy, 12) > 100, "its own district's incidents are drawn");
        Assert.Equal(0, Differing(scoped, scopedBasemap, ex, ey, 12));
        Assert.True(Reddish(everything, ex, ey, 12) > 20, "an unscoped account sees the east cluster");
        Assert.Equal(0, Reddish(scoped, ex, ey, 12));
    }

    [Fact]
    public async Task MapAndBriefExportsAreAuditedWithTheirQuery()
    {
        var before = await server.Database.ScalarAsync("SELECT count(*) FROM audit_log WHERE action = 'export' AND layer IN ('map', 'brief')");
        (await _all.GetAsync($"/api/exports/map.png?bbox={Bbox}&width=320&height=200&layers=incidents")).EnsureSuccessStatusCode();
        (await _scoped.GetAsync("/api/exports/brief.pdf?hours=6")).EnsureSuccessStatusCode();
        Assert.Equal(before + 2, await server.Database.ScalarAsync("SELECT count(*) FROM audit_log WHERE action = 'export' AND layer IN ('map', 'brief')"));
        Assert.Equal(1, await server.Database.ScalarAsync(
            $"SELECT count(*) FROM audit_log WHERE action = 'export' AND layer = 'map' AND actor = '{ServerFixture.OperatorName}' " +
            $"AND detail->>'query' = '?bbox={Bbox}&width=320&height=200&layers=incidents' AND (detail->>'incidents')::int = {RenderServer.PerCluster * 2}"));
        Assert.Equal(1, await server.Database.ScalarAsync(
            "SELECT count(*) FROM audit_log WHERE action = 'export' AND layer = 'brief' AND actor = 'scoped-exporter' AND detail->>'hours' = '6' " +
            $"AND (detail->>'incidents')::int = {RenderServer.PerCluster}"));
    }

    [Fact]
    public async Task WithoutTheExportPermissionBothAreForbidden()
    {
        var viewer = server.CreateClient(server.ViewerToken);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.GetAsync($"/api/exports/map.png?bbox={Bbox}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.GetAsync("/api/exports/brief.pdf")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.CreateClient("").GetAsync($"/api/exports/map.png?bbox={Bbox}")).StatusCode);
    }

    [Theory]
    [InlineData("width=100&height=100", "?bbox")]
    [InlineData("bbox=1,2,3", "?bbox")]
    [InlineData("bbox=10,10,9,11", "?bbox")]
    [InlineData("bbox=10,10,10,11", "?bbox")]
    [InlineData("bbox=10,10,11,11&width=5000", "?width")]
    [InlineData("bbox=10,10,11,11&height=abc", "?height")]
    [InlineData("bbox=10,10,11,11&width=0", "?width")]
    [InlineData("bbox=10,10,11,11&layers=incidents,tanks", "?layers")]
    [InlineData("bbox=10,10,11,11&category=jaywalking", "?category")]
    [InlineData("bbox=10,10,11,11&from=yesterday", "?from")]
    public async Task BadMapParametersAreProblemsNamingTheParameter(string query, string parameter)
    {
        var response = await _all.GetAsync("/api/exports/map.png?" + query);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.JsonAsync();
        Assert.True(problem.GetProperty("errors").TryGetProperty(parameter, out _), problem.ToString());
    }

    [Theory]
    [InlineData("hours=0", "?hours")]
    [InlineData("hours=169", "?hours")]
    [InlineData("bbox=x", "?bbox")]
    public async Task BadBriefParametersAreProblemsNamingTheParameter(string query, string parameter)
    {
        var response = await _all.GetAsync("/api/exports/brief.pdf?" + query);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.JsonAsync();
        Assert.True(problem.GetProperty("errors").TryGetProperty(parameter, out _), problem.ToString());
    }

    [Fact]
    public async Task BriefIsOneA4PdfPageWithTheCountsOfTheScope()
    {
        var response = await _all.GetAsync($"/api/exports/brief.pdf?bbox={Bbox}&hours=12");
        response.EnsureSuccessStatusCode();
        Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
        var pdf = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal("%PDF", System.Text.Encoding.ASCII.GetString(pdf, 0, 4));
        Assert.InRange(pdf.Length, 10_000, 3_000_000);
        var info = await PopplerAsync("pdfinfo", pdf);
        Assert.Matches(@"Pages:\s+1\r?\n", info);
        Assert.Matches(@"Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)", info);
        var text = await PopplerAsync("pdftotext", pdf, "-layout");
        var inPeriod = await server.Database.ScalarAsync("SELECT count(*) FROM incidents WHERE occurred_at >= now() - interval '12 hours'");
        var open = await server.Database.ScalarAsync("SELECT count(*) FROM incidents WHERE status IN ('reported', 'dispatched', 'on_scene')");
        Assert.Matches($@"All categories.*\s{inPeriod}\s*(\r?\n|$)", text);
        Assert.Contains("SITUATION BRIEF", text);
        Assert.Contains("All districts (city-wide)", text);
        Assert.Contains("OPEN INCIDENTS", text);
        Assert.Matches($@"(?m)^\s*{open}\s+{inPeriod}\s", text);
        // top changes: both clusters are new in this period; the newest severity-4 incidents are listed
        Assert.Matches($@"West · Violent\s+0 → {RenderServer.PerCluster} \(new\) \*", text);
        Assert.Matches($@"East · Violent\s+0 → {RenderServer.PerCluster} \(new\) \*", text);
        Assert.Matches(@"\d\d:\d\d\s+#\d+ · Violent · (West|East) · Reported", text);
    }

    [Fact]
    public async Task AScopedAccountsBriefCountsOnlyItsDistricts()
    {
        var response = await _scoped.GetAsync("/api/exports/brief.pdf");
        response.EnsureSuccessStatusCode();
        var text = await PopplerAsync("pdftotext", await response.Content.ReadAsByteArrayAsync(), "-layout");
        var inSa = await server.Database.ScalarAsync("SELECT count(*) FROM incidents WHERE district = 'SA' AND occurred_at >= now() - interval '12 hours'");
        Assert.Contains("Districts SA", text);
        Assert.Contains("scoped-exporter", text);
        Assert.Matches($@"All categories.*\s{inSa}\s*(\r?\n|$)", text);
    }

    private static async Task<SKBitmap> MapAsync(HttpClient client, string layers, string? bbox = null)
    {
        var response = await client.GetAsync($"/api/exports/map.png?bbox={bbox ?? Bbox}&width={Width}&height={Height}&layers={layers}");
        response.EnsureSuccessStatusCode();
        Assert.Equal("image/png", response.Content.Headers.ContentType?.MediaType);
        return SKBitmap.Decode(await response.Content.ReadAsByteArrayAsync()) ?? throw new InvalidOperationException("not a PNG");
    }

    private static (int X, int Y) PixelOf(double lon, double lat)
    {
        var view = new MapView(RenderServer.Box, Width, Height, MapLayers.Default, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, null);
        var (x, y) = view.ToPixel(MapView.MercatorX(lon), MapView.MercatorY(lat));
        return ((int)Math.Round(x), (int)Math.Round(y));
    }

    /// <summary>How many pixels of the square of half-size <paramref name="r"/> around (x, y) differ between two images.</summary>
    private static int Differing(SKBitmap a, SKBitmap b, int x, int y, int r)
    {
        var n = 0;
        for (var j = y - r; j <= y + r; j++)
            for (var i = x - r; i <= x + r; i++)
                if (a.GetPixel(i, j) != b.GetPixel(i, j)) n++;
        return n;
    }

    /// <summary>How many pixels around (x, y) are in the reds of the violent category (#ff4d4f) and severity 4 (#ff3b3b).</summary>
    private static int Reddish(SKBitmap image, int x, int y, int r)
    {
        var n = 0;
        for (var j = y - r; j <= y + r; j++)
            for (var i = x - r; i <= x + r; i++)
                if (image.GetPixel(i, j) is { Red: > 200, Green: < 110, Blue: < 110 }) n++;
        return n;
    }

    /// <summary>Runs a poppler-utils tool (scripts/test.sh installs them) on the PDF and returns what it prints.</summary>
    private static async Task<string> PopplerAsync(string tool, byte[] pdf, params string[] options)
    {
        var path = Path.Combine(Path.GetTempPath(), $"brief-{Guid.NewGuid():N}.pdf");
        await File.WriteAllBytesAsync(path, pdf);
        try
        {
            var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var o in options) start.ArgumentList.Add(o);
            start.ArgumentList.Add(path);
            if (tool == "pdftotext") start.ArgumentList.Add("-");
            using var process = Process.Start(start) ?? throw new InvalidOperationException($"{tool} did not start (apt-get install poppler-utils)");
            var output = await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();
            Assert.True(process.ExitCode == 0, $"{tool} failed: {await process.StandardError.ReadToEndAsync()}");
            return output;
        }
        finally
        {
            File.Delete(path);
        }
    }
}
