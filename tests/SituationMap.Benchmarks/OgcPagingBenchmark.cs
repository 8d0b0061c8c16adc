using System.Diagnostics;
using System.Text.Json;

namespace SituationMap.Benchmarks;

/// <summary>
/// OGC API - Features paging throughput through the server on the demo city (100,000 incidents): a client walks
/// /ogc/collections/incidents/items from the first page to the last by its next links, as GDAL's OAPIF driver and QGIS
/// do, with 1,000 and 10,000 features per page, and once with ?crs=EPSG:4547 (every coordinate projected to CGCS2000
/// Gauss-Krüger). Reported: features per second over the whole walk and the p50/p95 page latency.
/// </summary>
public static class OgcPagingBenchmark
{
    public static async Task<IReadOnlyList<BenchResult>> RunAsync(BenchOptions options)
    {
        var results = new List<BenchResult>();
        using var http = options.Http();
        http.Timeout = TimeSpan.FromMinutes(5);
        (await http.GetAsync("/ogc/collections/incidents/items?limit=10")).EnsureSuccessStatusCode();
        foreach (var (limit, crs) in new[] { (1000, ""), (10_000, ""), (10_000, "&crs=http://www.opengis.net/def/crs/EPSG/0/4547") })
        {
            var pages = new List<double>();
            long features = 0, bytes = 0;
            var url = $"/ogc/collections/incidents/items?limit={limit}{crs}";
            var total = Stopwatch.StartNew();
            while (url is not null)
            {
                var page = Stopwatch.StartNew();
                using var response = await http.GetAsync(url);
                response.EnsureSuccessStatusCode();
                var body = await response.Content.ReadAsByteArrayAsync();
                pages.Add(page.Elapsed.TotalMilliseconds);
                bytes += body.Length;
                using var json = JsonDocument.Parse(body);
                features += json.RootElement.GetProperty("numberReturned").GetInt64();
                url = json.RootElement.GetProperty("links").EnumerateArray()
                    .Where(l => l.GetProperty("rel").GetString() == "next").Select(l => l.GetProperty("href").GetString()).FirstOrDefault();
            }
            var seconds = total.Elapsed.TotalSeconds;
            pages.Sort();
            var label = crs.Length == 0 ? "" : ", crs EPSG:4547";
            results.Add(new("ogc-paging", $"OGC items walk, {limit:N0} per page{label}", features / seconds, "features/s", null,
                $"{features:N0} incidents in {pages.Count} pages by next links, {seconds:0.0} s, {bytes / 1e6:0} MB GeoJSON; page p50 {Percentiles.Of(pages, 50):0} ms, p95 {Percentiles.Of(pages, 95):0} ms"));
        }
        foreach (var r in results) Console.WriteLine($"{r.Metric}: {r.Value:N0} {r.Unit} ({r.Notes})");
        return results;
    }
}
