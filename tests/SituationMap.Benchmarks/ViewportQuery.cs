using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Npgsql;

namespace SituationMap.Benchmarks;

/// <summary>
/// GET /api/incidents for a city-district viewport (the bounding box of the largest district), one request at a
/// time, 200 times after a warm-up: p50 and p95 of the full response time (query + GeoJSON + transfer).
/// Three variants: the first page (1,000 features) of everything, of the last 7 days, of the last 24 hours.
/// </summary>
public static class ViewportQuery
{
    public static async Task<IReadOnlyList<BenchResult>> RunAsync(BenchOptions options)
    {
        await using var dataSource = new NpgsqlDataSourceBuilder(options.Database).Build();
        await using var cmd = dataSource.CreateCommand(
            "SELECT code, ST_XMin(b), ST_YMin(b), ST_XMax(b), ST_YMax(b), (SELECT count(*) FROM incidents i WHERE i.geom && b) " +
            "FROM (SELECT code, box2d(geom)::geometry AS b, ST_Area(geom::geography) AS a FROM districts) d ORDER BY a DESC LIMIT 1");
        await using var reader = await cmd.ExecuteReaderAsync();
        await reader.ReadAsync();
        var district = reader.GetString(0);
        var bbox = string.Join(',', new[] { 1, 2, 3, 4 }.Select(i => reader.GetDouble(i).ToString("0.######", CultureInfo.InvariantCulture)));
        var inBox = reader.GetInt64(5);
        using var http = options.Http();
        var now = DateTimeOffset.UtcNow;
        string Since(TimeSpan age) => Uri.EscapeDataString(now.Subtract(age).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
        var variants = new (string Name, string Url)[]
        {
            ("all incidents, first page", $"/api/incidents?bbox={bbox}"),
            ("last 7 days", $"/api/incidents?bbox={bbox}&from={Since(TimeSpan.FromDays(7))}"),
            ("last 24 hours", $"/api/incidents?bbox={bbox}&from={Since(TimeSpan.FromDays(1))}"),
        };
        var results = new List<BenchResult>();
        foreach (var (name, url) in variants)
        {
            for (var i = 0; i < 20; i++) await FetchAsync(http, url);
            var times = new List<double>();
            var features = 0;
            for (var i = 0; i < 200; i++)
            {
                var clock = Stopwatch.StartNew();
                features = await FetchAsync(http, url);
                times.Add(clock.Elapsed.TotalMilliseconds);
            }
            times.Sort();
            var (p50, p95) = (Percentiles.Of(times, 50), Percentiles.Of(times, 95));
            Console.WriteLine($"viewport {name}: p50 {p50:0.0} ms, p95 {p95:0.0} ms, {features} features");
            var notes = $"district {district} bbox ({inBox:N0} incidents inside), {features} features returned";
            results.Add(new("viewport", $"{name}: p50", p50, "ms", null, notes));
            results.Add(new("viewport", $"{name}: p95", p95, "ms", null, notes));
        }
        return results;
    }

    private static async Task<int> FetchAsync(HttpClient http, string url)
    {
        using var response = await http.GetAsync(url);
        response.EnsureSuccessStatusCode();
        await using var stream = await response.Content.ReadAsStreamAsync();
        using var doc = await JsonDocument.ParseAsync(stream);
        return doc.RootElement.GetProperty("number_returned").GetInt32();
    }
}
