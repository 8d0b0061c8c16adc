using System.Diagnostics;
using System.Globalization;
using System.Text;
using NetTopologySuite.Geometries;
using Npgsql;
using NpgsqlTypes;
using SituationMap.Analysis.Benchmarks;
using SituationMap.Analysis.Coverage;

namespace SituationMap.Benchmarks;

/// <summary>
/// The union/overlay step of the camera coverage report against PostGIS on the same data: the synthetic city of
/// CoverageBenchmarks (tests/SituationMap.Analysis.Benchmarks/CoverageCity.cs, same seeds: 5,000 occluded views among
/// 19,000 buildings, 500 zones), written with metric coordinates and SRID 0 (PostGIS measures planar areas in m²) into
/// the scratch database <see cref="DatabaseName"/> (tables views and zones, GiST indexes, ANALYZE; reloaded every run).
/// <para>
/// Timed, after one warm-up, as the median of the measured runs: ours = <see cref="CoverageReport.Compute"/> in
/// process (repair check, STR-tree, per zone cascaded union + difference; Parallel.For over all cores); PostGIS = one
/// statement that per zone unions the views whose box meets the zone (ST_Union aggregate in a LATERAL join) and
/// computes the blind spot (ST_Difference) and covered area, returning ST_NPoints of each blind spot so no geometry is
/// skipped; a second statement with ST_Intersection(zone, union) instead. Both must give the same covered area per
/// zone: the largest difference relative to the zone area is reported.
/// </para>
/// <para>
/// With the default settings PostgreSQL plans the statement serially (one backend, one core; the plan is printed).
/// Forcing parallel plans does not help: the workers only scan the zones, or, with a GROUP BY instead of the LATERAL
/// join, only collect the geometries while ST_Union's final function unions them in the leader. Ours uses every core,
/// so its process CPU time is reported next to its wall time.
/// </para>
/// </summary>
public static class CoverageOverlayComparison
{
    public const string DatabaseName = "situationmap_bench_coverage";
    private const int Warmups = 1;
    private const int OurRuns = 5;
    private const int PostgisRuns = 3;

    private const string Union = "(SELECT ST_Union(v.geom) AS g FROM views v WHERE v.geom && z.geom)";

    /// <summary>Per zone: id, covered m², points of the blind spot. OFFSET 0 keeps the subquery from being pulled up,
    /// so that each blind spot is computed once.</summary>
    private const string DifferenceSql =
        "SELECT id, area - ST_Area(blind), ST_NPoints(blind) FROM (" +
        "SELECT z.id, ST_Area(z.geom) AS area, COALESCE(ST_Difference(z.geom, u.g), z.geom) AS blind " +
        $"FROM zones z LEFT JOIN LATERAL {Union} u ON true OFFSET 0) s";

    /// <summary>Per zone: id, covered m² and points of the covered part (zone ∩ union).</summary>
    private const string IntersectionSql =
        "SELECT id, COALESCE(ST_Area(covered), 0), COALESCE(ST_NPoints(covered), 0) FROM (" +
        "SELECT z.id, ST_Intersection(z.geom, u.g) AS covered " +
        $"FROM zones z LEFT JOIN LATERAL {Union} u ON true OFFSET 0) s";

    public static async Task<IReadOnlyList<BenchResult>> RunAsync(BenchOptions options)
    {
        var clock = Stopwatch.StartNew();
        var buildings = CoverageCity.Buildings();
        var random = new Random(61);
        var cameras = Enumerable.Range(0, 5_000).Select(_ => CoverageCity.StreetCamera(random)).ToList();
        var zones = CoverageCity.Zones(new Random(62), 500);
        var views = new CameraViewshed(buildings).Views(cameras);
        var invalid = views.Count(v => !v.IsEmpty && !v.IsValid);
        var empty = views.Count(v => v.IsEmpty);
        Console.WriteLine($"coverage-overlay: {buildings.Count} buildings, {views.Length} views ({empty} empty, {invalid} invalid, " +
            $"{views.Sum(v => v.NumPoints):N0} points), {zones.Length} zones; built in {clock.Elapsed.TotalSeconds:0.0} s");

        await using var dataSource = await OpenAsync(options.Database);
        await LoadAsync(dataSource, views, zones);

        // ours
        CoverageReport? report = null;
        var (ours, ourCpu) = Measure("ours", OurRuns, () => report = CoverageReport.Compute(zones, views));
        var ourCovered = report!.Zones.Select(z => z.CoveredM2).ToArray();
        var ourBlindPoints = report.Zones.Sum(z => (long)z.BlindSpot.NumPoints);
        var zoneAreas = report.Zones.Select(z => z.AreaM2).ToArray();

        // PostGIS
        await using var connection = await dataSource.OpenConnectionAsync();
        var version = (string)(await new NpgsqlCommand("SELECT postgis_full_version()", connection).ExecuteScalarAsync())!;
        var geos = System.Text.RegularExpressions.Regex.Match(version, "GEOS=\"([^\"]+)\"").Groups[1].Value;
        var perGather = (string)(await new NpgsqlCommand("SHOW max_parallel_workers_per_gather", connection).ExecuteScalarAsync())!;
        var parallel = await ParallelWorkersAsync(connection, DifferenceSql);
        Console.WriteLine($"coverage-overlay: PostGIS plan: {parallel} (max_parallel_workers_per_gather = {perGather}); GEOS {geos}");

        (long Id, double Covered, long Points)[] difference = [];
        var pgDifference = await MeasureAsync("PostGIS ST_Union + ST_Difference", PostgisRuns, async () => difference = await QueryAsync(connection, DifferenceSql));
        (long Id, double Covered, long Points)[] intersection = [];
        var pgIntersection = await MeasureAsync("PostGIS ST_Union + ST_Intersection", PostgisRuns, async () => intersection = await QueryAsync(connection, IntersectionSql));

        var (diffMaxRel, diffMaxAbs, diffZone) = Compare(ourCovered, zoneAreas, difference);
        var (interMaxRel, interMaxAbs, interZone) = Compare(ourCovered, zoneAreas, intersection);
        var totalArea = zoneAreas.Sum();
        Console.WriteLine($"coverage-overlay: covered {ourCovered.Sum() / totalArea:P3} (ours), {difference.Sum(r => r.Covered) / totalArea:P3} (PostGIS difference), " +
            $"{intersection.Sum(r => r.Covered) / totalArea:P3} (PostGIS intersection); blind-spot points: ours {ourBlindPoints:N0}, PostGIS {difference.Sum(r => r.Points):N0}");

        var table = new StringBuilder();
        table.AppendLine("| step | median ms | runs (ms) | PostGIS ÷ ours | max Δ covered ÷ zone area (Δ m², zone) |");
        table.AppendLine("|---|---|---|---|---|");
        string Runs(List<double> runs) => string.Join(", ", runs.Select(r => r.ToString("0", CultureInfo.InvariantCulture)));
        table.AppendLine(CultureInfo.InvariantCulture, $"| ours CoverageReport.Compute ({Environment.ProcessorCount} cores) | {Median(ours):0} | {Runs(ours)} | 1 | — |");
        table.AppendLine(CultureInfo.InvariantCulture, $"| ours, CPU time (all threads) | {Median(ourCpu):0} | {Runs(ourCpu)} | {Median(pgDifference) / Median(ourCpu):0.00} (difference) | — |");
        table.AppendLine(CultureInfo.InvariantCulture, $"| PostGIS ST_Union + ST_Difference | {Median(pgDifference):0} | {Runs(pgDifference)} | {Median(pgDifference) / Median(ours):0.00} | {diffMaxRel:0.###e+0} ({diffMaxAbs:0.###e+0}, zone {diffZone}) |");
        table.AppendLine(CultureInfo.InvariantCulture, $"| PostGIS ST_Union + ST_Intersection | {Median(pgIntersection):0} | {Runs(pgIntersection)} | {Median(pgIntersection) / Median(ours):0.00} | {interMaxRel:0.###e+0} ({interMaxAbs:0.###e+0}, zone {interZone}) |");
        Console.WriteLine();
        Console.WriteLine(table);

        var notes = $"{views.Length} views, {zones.Length} zones, SRID 0 (planar m²); median of {{0}} runs after {Warmups} warm-up";
        var pgNotes = $"one statement, LATERAL ST_Union per zone; {parallel}; GEOS {geos}";
        return
        [
            new("coverage-overlay", "ours CoverageReport.Compute", Median(ours), "ms", null,
                string.Format(CultureInfo.InvariantCulture, notes, OurRuns) + $", Parallel.For on {Environment.ProcessorCount} cores"),
            new("coverage-overlay", "ours CoverageReport.Compute: CPU time", Median(ourCpu), "ms", null,
                "process CPU time over the same runs (all threads, GC included): compare with PostGIS's serial plan"),
            new("coverage-overlay", "PostGIS ST_Union + ST_Difference", Median(pgDifference), "ms", null,
                string.Format(CultureInfo.InvariantCulture, notes, PostgisRuns) + $"; {pgNotes}"),
            new("coverage-overlay", "PostGIS ST_Union + ST_Difference ÷ ours", Median(pgDifference) / Median(ours), "", null, "ratio of the medians"),
            new("coverage-overlay", "ST_Difference: max Δ covered ÷ zone area", diffMaxRel, "", "≤ 1e-6",
                string.Create(CultureInfo.InvariantCulture, $"{diffMaxRel:0.###e+0} of the zone area, {diffMaxAbs:0.###e+0} m² (zone {diffZone})")),
            new("coverage-overlay", "PostGIS ST_Union + ST_Intersection", Median(pgIntersection), "ms", null,
                string.Format(CultureInfo.InvariantCulture, notes, PostgisRuns) + $"; {pgNotes}"),
            new("coverage-overlay", "PostGIS ST_Union + ST_Intersection ÷ ours", Median(pgIntersection) / Median(ours), "", null, "ratio of the medians"),
            new("coverage-overlay", "ST_Intersection: max Δ covered ÷ zone area", interMaxRel, "", "≤ 1e-6",
                string.Create(CultureInfo.InvariantCulture, $"{interMaxRel:0.###e+0} of the zone area, {interMaxAbs:0.###e+0} m² (zone {interZone})")),
        ];
    }

    /// <summary>A data source on <see cref="DatabaseName"/> (host and credentials from <paramref name="connectionString"/>),
    /// creating the database and the postgis extension when missing.</summary>
    private static async Task<NpgsqlDataSource> OpenAsync(string connectionString)
    {
        var target = new NpgsqlConnectionStringBuilder(connectionString) { Database = DatabaseName };
        var admin = new NpgsqlConnectionStringBuilder(connectionString) { Database = "postgres", Pooling = false };
        await using (var connection = new NpgsqlConnection(admin.ConnectionString))
        {
            await connection.OpenAsync();
            await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", connection) { Parameters = { new() { Value = DatabaseName } } };
            if (await exists.ExecuteScalarAsync() is null)
            {
                Console.WriteLine($"coverage-overlay: creating database {DatabaseName}");
                await new NpgsqlCommand($"CREATE DATABASE \"{DatabaseName}\"", connection).ExecuteNonQueryAsync();
            }
        }
        await using (var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(target.ConnectionString) { Pooling = false }.ConnectionString))
        {
            // before the NetTopologySuite mapping needs the geometry type
            await connection.OpenAsync();
            await new NpgsqlCommand("CREATE EXTENSION IF NOT EXISTS postgis", connection).ExecuteNonQueryAsync();
        }
        var builder = new NpgsqlDataSourceBuilder(target.ConnectionString);
        builder.UseNetTopologySuite();
        return builder.Build();
    }

    /// <summary>Reloads views (the non-empty ones, id = camera index) and zones (id = zone index) with GiST indexes.</summary>
    private static async Task LoadAsync(NpgsqlDataSource dataSource, NetTopologySuite.Geometries.Geometry[] views, CoverageZone[] zones)
    {
        var clock = Stopwatch.StartNew();
        await using var connection = await dataSource.OpenConnectionAsync();
        await new NpgsqlCommand(
            "DROP TABLE IF EXISTS views, zones; " +
            "CREATE TABLE views (id integer PRIMARY KEY, geom geometry(Geometry, 0) NOT NULL); " +
            "CREATE TABLE zones (id integer PRIMARY KEY, geom geometry(Geometry, 0) NOT NULL)", connection).ExecuteNonQueryAsync();
        async Task CopyAsync(string table, IEnumerable<(int Id, NetTopologySuite.Geometries.Geometry Geom)> rows)
        {
            await using var writer = await connection.BeginBinaryImportAsync($"COPY {table} (id, geom) FROM STDIN (FORMAT BINARY)");
            foreach (var (id, geom) in rows)
            {
                await writer.StartRowAsync();
                await writer.WriteAsync(id, NpgsqlDbType.Integer);
                await writer.WriteAsync(geom, NpgsqlDbType.Geometry);
            }
            await writer.CompleteAsync();
        }
        await CopyAsync("views", views.Select((v, i) => (i, v)).Where(r => !r.v.IsEmpty));
        await CopyAsync("zones", zones.Select((z, i) => (i, z.Area)));
        await new NpgsqlCommand(
            "CREATE INDEX ON views USING gist (geom); CREATE INDEX ON zones USING gist (geom); ANALYZE views; ANALYZE zones",
            connection).ExecuteNonQueryAsync();
        await using var size = new NpgsqlCommand("SELECT pg_size_pretty(pg_total_relation_size('views')), (SELECT count(*) FROM views)", connection);
        await using var reader = await size.ExecuteReaderAsync();
        await reader.ReadAsync();
        Console.WriteLine($"coverage-overlay: loaded {reader.GetInt64(1)} views ({reader.GetString(0)}) and {zones.Length} zones into {DatabaseName} in {clock.Elapsed.TotalSeconds:0.0} s");
    }

    /// <summary>"n parallel workers planned" from EXPLAIN, or "no parallel workers" when the plan has no Gather.</summary>
    private static async Task<string> ParallelWorkersAsync(NpgsqlConnection connection, string sql)
    {
        var plan = new List<string>();
        await using (var reader = await new NpgsqlCommand("EXPLAIN " + sql, connection).ExecuteReaderAsync())
        {
            while (await reader.ReadAsync()) plan.Add(reader.GetString(0));
        }
        Console.WriteLine("coverage-overlay: EXPLAIN (ST_Difference statement):");
        foreach (var line in plan) Console.WriteLine("    " + line);
        var workers = plan.Select(l => System.Text.RegularExpressions.Regex.Match(l, @"Workers Planned: (\d+)")).Where(m => m.Success)
            .Sum(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));
        return workers > 0 ? $"{workers} parallel workers planned" : "no parallel workers (serial plan)";
    }

    private static async Task<(long Id, double Covered, long Points)[]> QueryAsync(NpgsqlConnection connection, string sql)
    {
        var rows = new List<(long, double, long)>();
        await using var cmd = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync()) rows.Add((reader.GetInt32(0), reader.GetDouble(1), reader.GetInt32(2)));
        return [.. rows];
    }

    /// <summary>Largest |ours − PostGIS| covered area relative to the zone area, the same in m², and that zone's id.</summary>
    private static (double Relative, double Absolute, long Zone) Compare(double[] ours, double[] areas, (long Id, double Covered, long Points)[] postgis)
    {
        if (postgis.Length != ours.Length) throw new InvalidOperationException($"PostGIS returned {postgis.Length} zones, expected {ours.Length}");
        var worst = (Relative: 0.0, Absolute: 0.0, Zone: -1L);
        foreach (var (id, covered, _) in postgis)
        {
            var absolute = Math.Abs(ours[id] - covered);
            var relative = absolute / areas[id];
            if (relative > worst.Relative || worst.Zone < 0) worst = (relative, absolute, id);
        }
        return worst;
    }

    /// <summary>Wall-clock and process CPU milliseconds of each measured run.</summary>
    private static (List<double> Wall, List<double> Cpu) Measure(string name, int runs, Action run)
    {
        for (var i = 0; i < Warmups; i++) run();
        var process = Process.GetCurrentProcess();
        List<double> times = [], cpu = [];
        for (var i = 0; i < runs; i++)
        {
            process.Refresh();
            var cpuBefore = process.TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            run();
            times.Add(clock.Elapsed.TotalMilliseconds);
            process.Refresh();
            cpu.Add((process.TotalProcessorTime - cpuBefore).TotalMilliseconds);
        }
        Console.WriteLine($"coverage-overlay: {name}: median {Median(times):0} ms ({string.Join(", ", times.Select(t => t.ToString("0", CultureInfo.InvariantCulture)))} ms), " +
            $"CPU {Median(cpu):0} ms");
        return (times, cpu);
    }

    private static async Task<List<double>> MeasureAsync(string name, int runs, Func<Task> run)
    {
        for (var i = 0; i < Warmups; i++)
        {
            var warm = Stopwatch.StartNew();
            await run();
            Console.WriteLine($"coverage-overlay: {name}: warm-up {warm.Elapsed.TotalMilliseconds:0} ms");
        }
        var times = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            var clock = Stopwatch.StartNew();
            await run();
            times.Add(clock.Elapsed.TotalMilliseconds);
        }
        Console.WriteLine($"coverage-overlay: {name}: median {Median(times):0} ms ({string.Join(", ", times.Select(t => t.ToString("0", CultureInfo.InvariantCulture)))} ms)");
        return times;
    }

    private static double Median(List<double> times) => Percentiles.Of([.. times.Order()], 50);
}
