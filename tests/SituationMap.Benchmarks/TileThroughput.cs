using System.Diagnostics;
using Npgsql;
using SituationMap.Server.Tiles;

namespace SituationMap.Benchmarks;

/// <summary>
/// Incident tiles per second over a fixed tile set (every z13–z16 tile over the busiest part of the city), through
/// the server's HTTP endpoint and through the same SQL run directly against PostgreSQL with the same concurrency.
/// Goal: HTTP ≥ 0.8 × direct.
/// </summary>
public static class TileThroughput
{
    public static async Task<IReadOnlyList<BenchResult>> RunAsync(BenchOptions options)
    {
        var dataSource = new NpgsqlDataSourceBuilder(options.Database).Build();
        var tiles = await TileSetAsync(dataSource);
        Console.WriteLine($"tiles: {tiles.Count} tiles (z13-z16) over the city core; {options.Concurrency} concurrent workers, {options.Duration.TotalSeconds} s each way");
        var sql = TileLayers.All["incidents"].Sql;
        using var http = options.Http(new SocketsHttpHandler { MaxConnectionsPerServer = options.Concurrency * 2 });

        async Task<long> ViaHttp(TileRequest t)
        {
            using var response = await http.GetAsync($"/tiles/incidents/{t.Z}/{t.X}/{t.Y}.mvt");
            var bytes = await response.Content.ReadAsByteArrayAsync();
            return response.IsSuccessStatusCode ? bytes.Length : throw new InvalidOperationException($"{(int)response.StatusCode} for {t}");
        }

        async Task<long> Direct(TileRequest t)
        {
            await using var cmd = dataSource.CreateCommand(sql);
            TileQuery.AddParameters(cmd, t);
            return (await cmd.ExecuteScalarAsync() as byte[])?.Length ?? 0;
        }

        // warm both paths (PostgreSQL buffers, JIT, connection pools) with one full pass each
        foreach (var t in tiles) { await Direct(t); await ViaHttp(t); }
        var (directRate, directBytes) = await MeasureAsync(tiles, Direct, options);
        var (httpRate, httpBytes) = await MeasureAsync(tiles, ViaHttp, options);
        var ratio = httpRate / directRate;
        Console.WriteLine($"tiles: direct {directRate:0.0}/s, http {httpRate:0.0}/s, ratio {ratio:0.00}");
        return
        [
            new("tiles", "direct SQL (ST_AsMVT)", directRate, "tiles/s", null, $"{options.Concurrency} connections, {tiles.Count} tiles, mean {directBytes / 1024.0:0.0} KiB"),
            new("tiles", "HTTP /tiles/incidents", httpRate, "tiles/s", null, $"{options.Concurrency} concurrent requests, no compression, mean {httpBytes / 1024.0:0.0} KiB"),
            new("tiles", "HTTP ÷ direct", ratio, "", "≥ 0.8", "same tiles, same concurrency"),
        ];
    }

    private static async Task<(double Rate, double MeanBytes)> MeasureAsync(IReadOnlyList<TileRequest> tiles, Func<TileRequest, Task<long>> fetch, BenchOptions options)
    {
        var next = -1;
        long done = 0, bytes = 0;
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, options.Concurrency).Select(_ => Task.Run(async () =>
        {
            while (clock.Elapsed < options.Duration)
            {
                var t = tiles[(int)((uint)Interlocked.Increment(ref next) % tiles.Count)];
                Interlocked.Add(ref bytes, await fetch(t));
                Interlocked.Increment(ref done);
            }
        }));
        await Task.WhenAll(workers);
        return (done / clock.Elapsed.TotalSeconds, done == 0 ? 0 : (double)bytes / done);
    }

    /// <summary>Every tile from z13 to z16 over the densest 4 km × 4 km of incidents (fixed by the data, not random).</summary>
    internal static async Task<List<TileRequest>> TileSetAsync(NpgsqlDataSource dataSource)
    {
        await using var cmd = dataSource.CreateCommand(
            "SELECT ST_X(c), ST_Y(c) FROM (SELECT ST_Centroid(ST_Collect(geom)) AS c FROM (SELECT geom FROM incidents TABLESAMPLE SYSTEM (5) REPEATABLE (7)) s) x");
        await using var reader = await cmd.ExecuteReaderAsync();
        await reader.ReadAsync();
        var (lon, lat) = (reader.GetDouble(0), reader.GetDouble(1));
        var (dLon, dLat) = (2_000 / (111_320 * Math.Cos(lat * Math.PI / 180)), 2_000 / 110_574.0);
        var tiles = new List<TileRequest>();
        for (var z = 13; z <= 16; z++)
        {
            var (x0, y0) = Tile(lon - dLon, lat + dLat, z);
            var (x1, y1) = Tile(lon + dLon, lat - dLat, z);
            for (var x = x0; x <= x1; x++)
                for (var y = y0; y <= y1; y++)
                    tiles.Add(new TileRequest(z, x, y));
        }
        return tiles;
    }

    private static (int X, int Y) Tile(double lon, double lat, int z)
    {
        var n = 1 << z;
        var r = lat * Math.PI / 180;
        return ((int)Math.Floor((lon + 180) / 360 * n), (int)Math.Floor((1 - Math.Log(Math.Tan(r) + 1 / Math.Cos(r)) / Math.PI) / 2 * n));
    }
}
