using System.Diagnostics;
using System.Globalization;
using System.Text;
using Npgsql;

namespace SituationMap.Benchmarks;

/// <summary>
/// Patrol and dispatch through the server on the demo city (as scripts/run.sh loads it: 4,723 roads, the units of the
/// demo, 100,000 incidents), each a latency over HTTP with the road network already built:
/// <list type="bullet">
/// <item>GET /api/incidents/{id}/dispatch: every available unit ranked by road ETA, the first five with route lines;</item>
/// <item>GET /api/response-coverage: 1-3-5 minute isochrone polygons from every available unit (by mode) and the
/// shares of each district's area, residential zones and incidents (the band limits are varied by a second per request
/// so the 5 s cache never answers);</item>
/// <item>GET /api/patrols/hotspot-coverage, /overview, /dosage (the current shift) and POST /api/patrols/suggest
/// (a 2-hour loop through the current hot cells).</item>
/// </list>
/// </summary>
public static class DispatchServerBenchmark
{
    public static async Task<IReadOnlyList<BenchResult>> RunAsync(BenchOptions options)
    {
        var results = new List<BenchResult>();
        await using var dataSource = NpgsqlDataSource.Create(options.Database);
        var incidents = new List<long>();
        await using (var cmd = dataSource.CreateCommand("SELECT id FROM incidents WHERE status IN ('reported', 'dispatched', 'on_scene') ORDER BY id DESC LIMIT 40"))
        await using (var r = await cmd.ExecuteReaderAsync())
        {
            while (await r.ReadAsync()) incidents.Add(r.GetInt64(0));
        }
        if (incidents.Count == 0) throw new InvalidOperationException("The database has no open incidents: load the demo city.");
        var available = await ScalarAsync(dataSource, "SELECT count(*) FROM patrol_units WHERE status = 'available' AND geom IS NOT NULL");
        using var http = options.Http();
        http.Timeout = TimeSpan.FromMinutes(5);
        (await http.GetAsync($"/api/incidents/{incidents[0]}/dispatch")).EnsureSuccessStatusCode(); // the road network is built on first use

        var ranking = await TimeAsync(incidents.Select(id => (Func<Task<HttpResponseMessage>>)(() => http.GetAsync($"/api/incidents/{id}/dispatch?routes=5"))).ToList(), warmUp: 5);
        results.Add(new("dispatch-server", "units ranked by road ETA for an incident p50", Percentiles.Of(ranking, 50), "ms", "< 200 ms",
            $"GET /api/incidents/{{id}}/dispatch, {available} available units, 5 route lines; p95 {Percentiles.Of(ranking, 95):0.0} ms, {ranking.Count} incidents"));

        var bands = await TimeAsync(Enumerable.Range(0, 8).Select(i => (Func<Task<HttpResponseMessage>>)(() =>
            http.GetAsync(string.Create(CultureInfo.InvariantCulture, $"/api/response-coverage?bands={60 + i},{180 + i},{300 + i}")))).ToList(), warmUp: 2);
        results.Add(new("dispatch-server", "1-3-5 minute response bands with district shares p50", Percentiles.Of(bands, 50), "ms", null,
            $"GET /api/response-coverage, isochrone polygons from {available} available units + shares of area, residential zones and 30 days of incidents per district; p95 {Percentiles.Of(bands, 95):0} ms, {bands.Count} uncached requests"));

        foreach (var (name, url) in new[]
        {
            ("patrol overview (routes, units, rule checks)", "/api/patrols/overview"),
            ("hot-spot coverage of the routes per level", "/api/patrols/hotspot-coverage?minutes=5"),
            ("dosage and street visibility, current shift", "/api/patrols/dosage"),
        })
        {
            var times = await TimeAsync(Enumerable.Range(0, 6).Select(_ => (Func<Task<HttpResponseMessage>>)(() => http.GetAsync(url))).ToList(), warmUp: 1);
            results.Add(new("dispatch-server", name + " p50", Percentiles.Of(times, 50), "ms", null, $"GET {url}; p95 {Percentiles.Of(times, 95):0} ms, {times.Count} requests"));
        }
        var unit = await ScalarAsync(dataSource, "SELECT id FROM patrol_units WHERE mode = 'vehicle' AND geom IS NOT NULL ORDER BY id LIMIT 1");
        var suggest = await TimeAsync(Enumerable.Range(0, 4).Select(_ => (Func<Task<HttpResponseMessage>>)(() =>
            http.PostAsync("/api/patrols/suggest", new StringContent($"{{\"unit_id\": {unit}, \"minutes\": 120}}", Encoding.UTF8, "application/json")))).ToList(), warmUp: 1);
        results.Add(new("dispatch-server", "2-hour patrol loop suggestion p50", Percentiles.Of(suggest, 50), "ms", null,
            $"POST /api/patrols/suggest for a vehicle, all current hot cells as candidates; p95 {Percentiles.Of(suggest, 95):0} ms"));
        foreach (var r in results) Console.WriteLine($"{r.Metric}: {r.Value:0.0} {r.Unit} ({r.Notes})");
        return results;
    }

    /// <summary>Runs the requests one after another; the first <paramref name="warmUp"/> are not counted. Sorted milliseconds.</summary>
    private static async Task<List<double>> TimeAsync(IReadOnlyList<Func<Task<HttpResponseMessage>>> requests, int warmUp)
    {
        var times = new List<double>();
        for (var i = 0; i < requests.Count; i++)
        {
            var start = Stopwatch.GetTimestamp();
            using var response = await requests[i]();
            response.EnsureSuccessStatusCode();
            await response.Content.ReadAsByteArrayAsync();
            if (i >= warmUp) times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
        times.Sort();
        return times;
    }

    private static async Task<long> ScalarAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var cmd = dataSource.CreateCommand(sql);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }
}
