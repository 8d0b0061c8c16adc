using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using SituationMap.Server.Coverage;
using SituationMap.Server.Infrastructure.Json;

namespace SituationMap.Benchmarks;

/// <summary>
/// Camera coverage through the server on the demo city (as scripts/run.sh loads it: 285 zones, 1,500 cameras, 26,281
/// building footprints, 100,000 incidents):
/// <list type="bullet">
/// <item>the full coverage model built in process from the database (every camera's occluded view + the report);</item>
/// <item>GET /api/coverage (the compliance board) latency;</item>
/// <item>one camera edit end to end: PUT /api/cameras/{id} (a new heading) → change log → change feed → the camera's
/// new view and the affected zones recomputed → CoverageUpdated received by a live client;</item>
/// <item>POST /api/coverage/recommendations for 50 cameras city-wide (sites × 8 headings, occluded views of every option).</item>
/// </list>
/// </summary>
public static class CoverageServerBenchmark
{
    public static async Task<IReadOnlyList<BenchResult>> RunAsync(BenchOptions options)
    {
        var results = new List<BenchResult>();
        var builder = new NpgsqlDataSourceBuilder(options.Database);
        builder.UseNetTopologySuite();
        await using var dataSource = builder.Build();

        // 1. the model, in process
        var builds = new List<double>();
        CoverageModel? model = null;
        for (var i = 0; i < 4; i++)
        {
            var start = Stopwatch.GetTimestamp();
            model = await CoverageModel.LoadAsync(dataSource, new CoverageOptions(), CancellationToken.None);
            if (i > 0) builds.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
        if (model is null) throw new InvalidOperationException("The database has no zones to measure: load the demo city.");
        var scene = $"{model.Zones.Count} zones, {model.Cameras.Count} cameras, {model.Buildings} buildings, {model.Incidents.Count} incidents (30 days)";
        Console.WriteLine($"coverage model: {scene}; build {Median(builds):0} ms");
        results.Add(new("coverage-server", "full model: every view occluded + report", Median(builds), "ms", "< 2000 ms",
            $"in process from PostgreSQL, median of 3 after a warm-up; {scene}"));

        using var http = options.Http();
        http.Timeout = TimeSpan.FromMinutes(5);

        // 2. the compliance board
        var boards = new List<double>();
        for (var i = 0; i < 30; i++)
        {
            var start = Stopwatch.GetTimestamp();
            (await http.GetAsync("/api/coverage")).EnsureSuccessStatusCode();
            if (i >= 5) boards.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
        boards.Sort();
        results.Add(new("coverage-server", "GET /api/coverage p50", Percentiles.Of(boards, 50), "ms", null, $"p95 {Percentiles.Of(boards, 95):0.0} ms, 25 requests"));

        // 3. one camera edit, end to end
        var cameras = new List<long>();
        await using (var cmd = dataSource.CreateCommand(
            "SELECT c.id FROM cameras c WHERE c.status = 'online' AND c.kind = 'fixed' AND EXISTS (SELECT 1 FROM zones z WHERE ST_Intersects(z.geom, c.geom)) ORDER BY c.id LIMIT 40"))
        await using (var r = await cmd.ExecuteReaderAsync())
        {
            while (await r.ReadAsync()) cameras.Add(r.GetInt64(0));
        }
        var updates = System.Threading.Channels.Channel.CreateUnbounded<(long Version, int Zones, long At)>();
        await using var hub = options.Hub();
        hub.On<JsonElement>("CoverageUpdated", n => updates.Writer.TryWrite(
            (n.GetProperty("version").GetInt64(), n.GetProperty("zones").GetArrayLength(), Stopwatch.GetTimestamp())));
        await hub.StartAsync();
        var edits = new List<double>();
        var zonesPerEdit = new List<int>();
        var puts = new List<double>();
        foreach (var id in cameras)
        {
            var feature = JsonNode.Parse(await http.GetStringAsync($"/api/cameras/{id}"))!.AsObject();
            var properties = feature["properties"]!.AsObject();
            var version = properties["version"]!.GetValue<int>();
            properties["heading_deg"] = (properties["heading_deg"]!.GetValue<double>() + 37) % 360;
            while (updates.Reader.TryRead(out _)) { }
            var start = Stopwatch.GetTimestamp();
            using var put = new HttpRequestMessage(HttpMethod.Put, $"/api/cameras/{id}") { Content = new StringContent(feature.ToJsonString(), Encoding.UTF8, "application/geo+json") };
            put.Headers.TryAddWithoutValidation("If-Match", $"\"{version}\"");
            (await http.SendAsync(put)).EnsureSuccessStatusCode();
            puts.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                var update = await updates.Reader.ReadAsync(wait.Token);
                edits.Add(Stopwatch.GetElapsedTime(start, update.At).TotalMilliseconds);
                zonesPerEdit.Add(update.Zones);
            }
            catch (OperationCanceledException)
            {
                // the new view reaches no zone: nothing to push
            }
        }
        edits.Sort();
        puts.Sort();
        results.Add(new("coverage-server", "camera edit → CoverageUpdated p50", Percentiles.Of(edits, 50), "ms", "< 100 ms",
            $"PUT a new heading → change feed → new occluded view + affected zones recomputed → pushed; p95 {Percentiles.Of(edits, 95):0} ms; " +
            $"{edits.Count} of {cameras.Count} edits reached a zone, {zonesPerEdit.DefaultIfEmpty().Average():0.0} zones each; the PUT alone p50 {Percentiles.Of(puts, 50):0} ms"));

        // 4. recommendations city-wide
        var recommendations = new List<double>();
        JsonElement last = default;
        for (var i = 0; i < 3; i++)
        {
            var start = Stopwatch.GetTimestamp();
            var response = await http.PostAsJsonAsync("/api/coverage/recommendations", new { budget = 50, headings = 8 });
            response.EnsureSuccessStatusCode();
            recommendations.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            last = await response.Content.ReadFromJsonAsync<JsonElement>();
        }
        results.Add(new("coverage-server", "recommend 50 cameras city-wide", Median(recommendations), "ms", "< 5000 ms",
            string.Create(CultureInfo.InvariantCulture,
                $"POST /api/coverage/recommendations, median of 3: {last.GetProperty("sites").GetInt32()} grid sites ({last.GetProperty("site_spacing_m").GetDouble():0} m) × 8 headings = {last.GetProperty("options").GetInt32()} options with occluded views; {last.GetProperty("gain_evaluations").GetInt64()} gain evaluations; server compute {last.GetProperty("compute_ms").GetDouble():0} ms")));
        return results;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return Percentiles.Of(sorted, 50);
    }
}
