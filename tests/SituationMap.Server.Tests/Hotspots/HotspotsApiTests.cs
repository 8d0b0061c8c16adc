using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.Logging.Abstractions;
using SituationMap.Server.Accounts;
using SituationMap.Server.Infrastructure.Commands;
using SituationMap.Server.Live;
using SituationMap.Testing;

namespace SituationMap.Server.Tests.Hotspots;

/// <summary>The demo city with 30,000 incidents over the year, and hotspot views refreshed every second.</summary>
public sealed class DemoCityServer : ServerFixture
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string> { ["Hotspots:RefreshInterval"] = "00:00:01" };

    public override async Task InitializeAsync()
    {
        var database = await TestDatabase.CreateAsync();
        await new DemoDataLoader(database.DataSource, NullLogger<DemoDataLoader>.Instance).LoadAsync(30_000, ifEmpty: true, reset: false, CancellationToken.None);
        await StartOnAsync(database);
    }
}

public sealed class HotspotsApiTests(DemoCityServer server) : IClassFixture<DemoCityServer>
{
    private readonly HttpClient _client = server.CreateClient();
    /// <summary>The whole demo year (incidents span the 365 days before loading).</summary>
    private static readonly string Year = "from=" + Uri.EscapeDataString(Api.Iso(DateTimeOffset.UtcNow.AddDays(-367)));

    [Fact]
    public async Task DensityIsAMapImageWhoseValuesIntegrateToTheNumberOfIncidents()
    {
        var density = await (await _client.GetAsync($"/api/hotspots/density?{Year}&cell_m=100&values=true")).JsonAsync();
        var (width, height) = (density.GetProperty("width").GetInt32(), density.GetProperty("height").GetInt32());
        var values = density.GetProperty("values").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        Assert.Equal(width * height, values.Length);
        var points = density.GetProperty("points").GetInt32();
        Assert.Equal(await server.Database.ScalarAsync("SELECT count(*) FROM incidents"), points);
        // per km² × 0.01 km² per 100 m cell, summed: the kernels spill a little past the city's edge
        Assert.InRange(values.Sum() * 0.01, points * 0.95, points * 1.001);
        var png = Convert.FromBase64String(density.GetProperty("image_png").GetString()!["data:image/png;base64,".Length..]);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);
        Assert.Equal(width, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)));
        var corners = density.GetProperty("corners").EnumerateArray().Select(c => (X: c[0].GetDouble(), Y: c[1].GetDouble())).ToArray();
        Assert.True(corners[0].Y > corners[3].Y && corners[1].X > corners[0].X, "corners go top-left, top-right, bottom-right, bottom-left");
        var legend = density.GetProperty("legend").EnumerateArray().Select(l => l.GetProperty("value").GetDouble()).ToList();
        Assert.Equal(legend.Order(), legend);
        Assert.Equal(density.GetProperty("max_per_km2").GetDouble(), values.Max(), 2);
    }

    [Fact]
    public async Task GiStarFindsSignificantHotSpotsWhereTheDemoCityHasThem()
    {
        var map = await (await _client.GetAsync($"/api/hotspots/gistar?{Year}&cell_m=250")).JsonAsync();
        Assert.True(map.GetProperty("cells").GetInt32() > 3000);
        var hot = map.GetProperty("features").EnumerateArray().Where(f => f.GetProperty("properties").GetProperty("class").GetString() == "hot_99").ToList();
        Assert.NotEmpty(hot);
        Assert.All(hot, f => Assert.True(f.GetProperty("properties").GetProperty("z").GetDouble() > 2.58));
        // urban villages are the demo's densest spots: most of them hold a 99 % hot cell
        var centres = string.Join(",", hot.Select(f => FormattableString.Invariant(
            $"ST_Centroid(ST_GeomFromGeoJSON('{f.GetProperty("geometry").GetRawText()}'))")));
        var villagesWithHotCells = await server.Database.ScalarAsync(
            $"SELECT count(DISTINCT z.id) FROM zones z, unnest(ARRAY[{centres}]) c WHERE z.kind = 'urban_village' AND ST_DWithin(z.geom::geography, ST_SetSRID(c, 4326)::geography, 300)");
        Assert.True(villagesWithHotCells >= 5, $"only {villagesWithHotCells} of the 10 urban villages have a 99 % hot cell nearby");
        Assert.Equal(map.GetProperty("cells").GetInt32(), map.GetProperty("classes").EnumerateObject().Sum(c => c.Value.GetInt32()));
    }

    [Fact]
    public async Task LocalMoranFindsHighHighClustersAndIsReproducibleWithTheSameSeed()
    {
        var url = $"/api/hotspots/lisa?{Year}&cell_m=500&permutations=199&seed=7";
        var first = await _client.GetStringAsync(url);
        using var doc = JsonDocument.Parse(first);
        Assert.True(doc.RootElement.GetProperty("classes").GetProperty("high_high").GetInt32() > 0);
        // pseudo p-values per cell; a different alpha is a different cache entry, so the second run really computes again
        var pValues = (string s) => JsonDocument.Parse(s).RootElement.GetProperty("features").EnumerateArray()
            .Where(f => f.GetProperty("properties").GetProperty("count").GetInt32() > 0) // listed whatever alpha says
            .Select(f => (f.GetProperty("id").GetInt64(), f.GetProperty("properties").GetProperty("p").GetDouble())).ToList();
        var again = await _client.GetStringAsync(url + "&alpha=0.0499");
        Assert.NotEqual(JsonDocument.Parse(first).RootElement.GetProperty("computed_at").GetString(), JsonDocument.Parse(again).RootElement.GetProperty("computed_at").GetString());
        Assert.Equal(pValues(first), pValues(again));
        var otherSeed = await _client.GetStringAsync(url.Replace("seed=7", "seed=8", StringComparison.Ordinal));
        Assert.NotEqual(pValues(first), pValues(otherSeed));
    }

    [Fact]
    public async Task EmergingHotspotsClassifyEveryCellOverTheTimeSteps()
    {
        var map = await (await _client.GetAsync("/api/hotspots/emerging?cell_m=1000&steps=12&step_days=14")).JsonAsync();
        Assert.Equal("emerging", map.GetProperty("method").GetString());
        var classes = map.GetProperty("classes").EnumerateObject().ToDictionary(c => c.Name, c => c.Value.GetInt32());
        Assert.Equal(map.GetProperty("cells").GetInt32(), classes.Values.Sum());
        Assert.Contains(classes.Keys, k => k.EndsWith("_hot_spot", StringComparison.Ordinal));
        Assert.All(map.GetProperty("features").EnumerateArray(), f => Assert.NotNull(f.GetProperty("properties").GetProperty("pattern").GetString()));
    }

    [Fact]
    public async Task CompStatTotalsAddUpAndEveryChangeHasAPValue()
    {
        var end = DateTimeOffset.UtcNow.Date.ToString("yyyy-MM-dd'T'00:00:00'Z'", System.Globalization.CultureInfo.InvariantCulture);
        var table = await (await _client.GetAsync($"/api/hotspots/compstat?days=28&end={end}")).JsonAsync();
        var rows = table.GetProperty("rows").EnumerateArray().ToList();
        var grand = rows.Single(r => r.GetProperty("district").ValueKind == JsonValueKind.Null && r.GetProperty("category").ValueKind == JsonValueKind.Null);
        var expected = await server.Database.ScalarAsync($"SELECT count(*) FROM incidents WHERE occurred_at >= '{end}'::timestamptz - interval '28 days' AND occurred_at < '{end}'");
        Assert.Equal(expected, grand.GetProperty("current").GetInt64());
        var districtTotals = rows.Where(r => r.GetProperty("district").ValueKind == JsonValueKind.String && r.GetProperty("category").ValueKind == JsonValueKind.Null);
        Assert.Equal(expected, districtTotals.Sum(r => r.GetProperty("current").GetInt64()));
        Assert.All(rows, r => Assert.InRange(r.GetProperty("p_vs_previous").GetDouble(), 0, 1));
        var csv = await _client.GetStringAsync($"/api/hotspots/compstat.csv?days=28&end={end}");
        Assert.StartsWith("district,district_name,category,current,previous,same_period_last_year", csv);
        Assert.Equal(rows.Count + 1, csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);

        // the CSV is an export: audited with its query, and refused to accounts without the export permission
        Assert.Equal(1L, await server.Database.ScalarAsync(
            "SELECT count(*) FROM audit_log WHERE action = 'export' AND layer = 'compstat' AND detail->>'query' LIKE '?days=28&end=%' AND (detail->>'rows')::int > 0"));
        var viewer = server.CreateClient(await server.CreateTokenAsync("compstat-viewer", [Roles.Viewer], []));
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync($"/api/hotspots/compstat?days=28&end={end}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.GetAsync($"/api/hotspots/compstat.csv?days=28&end={end}")).StatusCode);
    }

    [Fact]
    public async Task ADistrictScopedAccountAnalysesOnlyItsDistricts()
    {
        var code = (await (await _client.GetAsync("/api/districts?limit=1")).JsonAsync()).GetProperty("features")[0].GetProperty("properties").GetProperty("code").GetString()!;
        var scoped = server.CreateClient(await server.CreateTokenAsync("hot-scoped", [Roles.Viewer], [code]));
        var density = await (await scoped.GetAsync($"/api/hotspots/density?{Year}&cell_m=200")).JsonAsync();
        Assert.Equal(await server.Database.ScalarAsync($"SELECT count(*) FROM incidents WHERE district = '{code}'"), density.GetProperty("points").GetInt32());
        var gi = await (await scoped.GetAsync($"/api/hotspots/gistar?{Year}")).JsonAsync();
        Assert.All(gi.GetProperty("features").EnumerateArray(), f => Assert.Equal(code, f.GetProperty("properties").GetProperty("district").GetString()));
    }

    [Fact]
    public async Task DashboardsAreToldWhenTheDefaultViewsWereRecomputed()
    {
        await using var hub = await server.ConnectHubAsync();
        var notices = new List<(string View, DateTimeOffset At)>();
        hub.On<SituationMap.Server.Hotspots.HotspotsRecomputed>(nameof(ILiveClient.HotspotsRecomputed), n => { lock (notices) notices.Add((n.View, n.ComputedAt)); });
        await _client.CreateAsync("incidents", Api.Incident());
        for (var i = 0; i < 300 && notices.Count < 2; i++) await Task.Delay(100);
        Assert.Contains(notices, n => n.View == "gistar");
        Assert.Contains(notices, n => n.View == "density");
    }

    [Fact]
    public async Task TheDashboardsDefaultRequestsAreServedFromTheViewsTheRefresherWarmed()
    {
        await using var hub = await server.ConnectHubAsync();
        var notices = new List<SituationMap.Server.Hotspots.HotspotsRecomputed>();
        hub.On<SituationMap.Server.Hotspots.HotspotsRecomputed>(nameof(ILiveClient.HotspotsRecomputed), n => { lock (notices) notices.Add(n); });
        var feed = (ChangeFeed)server.Services.GetService(typeof(ChangeFeed))!;
        var checkedWindows = new HashSet<string>();
        // a request in a later minute than the recomputation asks for another window (the server's window ends at the
        // current minute, as the panel's does): such an attempt proves nothing and is repeated with a new incident
        for (var attempt = 0; attempt < 4 && checkedWindows.Count < 2; attempt++)
        {
            // the round that saw the incident is the one of the incidents version after it (an earlier change's round may still be under way)
            var before = feed.IncidentsVersion;
            await _client.CreateAsync("incidents", Api.Incident());
            for (var i = 0; i < 100 && feed.IncidentsVersion == before; i++) await Task.Delay(50);
            var version = feed.IncidentsVersion;
            List<SituationMap.Server.Hotspots.HotspotsRecomputed> Round()
            {
                lock (notices) return notices.Where(n => n.IncidentsVersion == version).ToList();
            }
            for (var i = 0; i < 600 && Round().Count < 4; i++) await Task.Delay(100);
            var round = Round();
            Assert.Equal(["24h", "24h", "7d", "7d"], round.Select(n => n.Window));
            Assert.Equal(["density", "gistar", "density", "gistar"], round.Select(n => n.View));
            foreach (var window in new[] { "24h", "7d" })
            {
                var gistar = round.Single(n => n.View == "gistar" && n.Window == window);
                var density = round.Single(n => n.View == "density" && n.Window == window);
                Assert.Equal(window == "24h" ? TimeSpan.FromHours(24) : TimeSpan.FromDays(7), gistar.To - gistar.From);
                // exactly what the panel sends by default: its window from the whole minute, open-ended
                // (web/src/hotspots/model.ts analysisBounds and hotspotParams)
                var minute = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds() / 60 * 60);
                var from = Api.Iso(minute - (window == "24h" ? TimeSpan.FromHours(24) : TimeSpan.FromDays(7)));
                var gi = await (await _client.GetAsync($"/api/hotspots/gistar?from={from}&grid=hex&fdr=true")).JsonAsync();
                var de = await (await _client.GetAsync($"/api/hotspots/density?from={from}&kernel=quartic&weight=none")).JsonAsync();
                DateTimeOffset At(JsonElement e, string name) => DateTimeOffset.Parse(e.GetProperty(name).GetString()!, System.Globalization.CultureInfo.InvariantCulture);
                if (At(gi, "to") != gistar.To || At(de, "to") != density.To) continue;
                // served from the cache: the very results the notices announced, not computed again for this request
                Assert.Equal(gistar.ComputedAt, At(gi, "computed_at"));
                Assert.Equal(density.ComputedAt, At(de, "computed_at"));
                // and they include the new incident
                Assert.Equal(await server.Database.ScalarAsync($"SELECT count(*) FROM incidents WHERE occurred_at >= '{from}' AND occurred_at < '{Api.Iso(minute)}'"),
                    de.GetProperty("points").GetInt32());
                checkedWindows.Add(window);
            }
        }
        Assert.Equal(["24h", "7d"], checkedWindows.Order());
    }

    [Theory]
    [InlineData("/api/hotspots/density?from=2001-01-01T00:00:00Z&to=2001-01-08T00:00:00Z")]
    [InlineData("/api/hotspots/density?from=2001-01-01T00:00:00Z&to=2001-01-08T00:00:00Z&weight=severity")]
    [InlineData("/api/hotspots/gistar?from=2001-01-01T00:00:00Z&to=2001-01-08T00:00:00Z")]
    [InlineData("/api/hotspots/lisa?from=2001-01-01T00:00:00Z&to=2001-01-08T00:00:00Z")]
    [InlineData("/api/hotspots/emerging?to=2001-01-08T00:00:00Z")]
    [InlineData("/api/hotspots/compstat?end=2001-01-08T00:00:00Z")]
    public async Task NothingToAnalyseIsAnAnswerNotAnError(string url)
    {
        // a window without incidents (every cell equal: no variance) and no permutations are legitimate questions
        var response = await _client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await response.JsonAsync();
        Assert.Equal(JsonValueKind.Object, json.ValueKind);
    }

    [Fact]
    public async Task DistrictScopedDashboardsAreNotToldAboutRecomputationsAcrossTheCity()
    {
        var code = (await (await _client.GetAsync("/api/districts?limit=1")).JsonAsync()).GetProperty("features")[0].GetProperty("properties").GetProperty("code").GetString()!;
        await using var scopedHub = await server.ConnectHubAsync(token: await server.CreateTokenAsync("hot-scoped-hub", [Roles.Viewer], [code]));
        await using var cityHub = await server.ConnectHubAsync();
        var scopedNotices = 0;
        var cityNotices = 0;
        scopedHub.On<SituationMap.Server.Hotspots.HotspotsRecomputed>(nameof(ILiveClient.HotspotsRecomputed), _ => Interlocked.Increment(ref scopedNotices));
        cityHub.On<SituationMap.Server.Hotspots.HotspotsRecomputed>(nameof(ILiveClient.HotspotsRecomputed), _ => Interlocked.Increment(ref cityNotices));
        await _client.CreateAsync("incidents", Api.Incident());
        // the refresher may first finish a round for an earlier change (four views): allow for a loaded machine
        for (var i = 0; i < 300 && Volatile.Read(ref cityNotices) < 2; i++) await Task.Delay(100);
        Assert.True(cityNotices >= 2, "the city-wide dashboard was told");
        await Task.Delay(300);
        Assert.Equal(0, Volatile.Read(ref scopedNotices));
    }

    [Theory]
    [InlineData("/api/hotspots/density?kernel=triangle", "?kernel")]
    [InlineData("/api/hotspots/density?cell_m=1", "?cell_m")]
    [InlineData("/api/hotspots/gistar?grid=circles", "?grid")]
    [InlineData("/api/hotspots/gistar?cell_m=250&band_m=100", "?band_m")]
    [InlineData("/api/hotspots/lisa?permutations=100000", "?permutations")]
    [InlineData("/api/hotspots/lisa?permutations=0", "?permutations")]
    [InlineData("/api/hotspots/emerging?steps=500", "?steps")]
    [InlineData("/api/hotspots/compstat?days=0", "?days")]
    [InlineData("/api/hotspots/gistar?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z", "?from")]
    [InlineData("/api/hotspots/gistar?severity=5", "?severity")]
    [InlineData("/api/hotspots/density?min_severity=0", "?min_severity")]
    [InlineData("/api/hotspots/gistar?severity=1,2&min_severity=3", "?severity")]
    [InlineData("/api/hotspots/compstat?min_severity=9", "?min_severity")]
    [InlineData("/api/hotspots/gistar?weights=queen", "?weights")]
    [InlineData("/api/hotspots/gistar?weights=knn&k=0", "?k")]
    [InlineData("/api/hotspots/gistar?weights=knn&k=51", "?k")]
    [InlineData("/api/hotspots/gistar?k=4", "?k")]
    [InlineData("/api/hotspots/gistar?weights=contiguity&band_m=300", "?band_m")]
    [InlineData("/api/hotspots/gistar?grid=districts&weights=distance", "?band_m")]
    [InlineData("/api/hotspots/lisa?transform=variance", "?transform")]
    [InlineData("/api/hotspots/emerging?transform=row", "?transform")]
    [InlineData("/api/hotspots/density?cell_m=10", "?cell_m")]
    public async Task BadParametersAreRefusedNamingThem(string url, string pointer)
    {
        var response = await _client.GetAsync(url);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(Api.Errors(await response.JsonAsync()), e => e.StartsWith(pointer + ": ", StringComparison.Ordinal));
    }
}
