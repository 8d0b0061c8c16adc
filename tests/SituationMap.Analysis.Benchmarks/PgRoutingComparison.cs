using System.Diagnostics;
using System.Globalization;
using Npgsql;
using NpgsqlTypes;
using SituationMap.Analysis.Routing;

namespace SituationMap.Analysis.Benchmarks;

/// <summary>
/// Single-pair car travel times on the Liechtenstein road graph (the graph of <see cref="RoutingBenchmarks"/>) against
/// pgRouting's <c>pgr_dijkstra</c> on the same graph: every edge with a car arc becomes a row of <c>edges</c> (id = edge
/// + 1, source/target = node + 1, cost = seconds from source to target, reverse_cost = seconds back, −1 where the
/// direction is forbidden; no geometry), written by binary COPY into the scratch database of <c>--db</c> (created when
/// missing, with the pgrouting extension; the table is reloaded every run). The same random node pairs (nodes with a
/// car arc, fixed seed) go through <c>pgr_dijkstra('SELECT id, source, target, cost, reverse_cost FROM edges', s, t,
/// directed => true)</c> — the total is the agg_cost of its last row; no row means unreachable — and through
/// <see cref="ContractionHierarchy.TravelTime(int, int)"/> and plain <see cref="Dijkstra.TravelTime"/>. Every pair must
/// agree to 1e-3 s (the exit code is 1 otherwise). Each query is timed alone after a warm-up (in process: all pairs for
/// at least a second, so the JIT has settled; pgRouting: the first pairs):
/// pgRouting's time is the round trip of one prepared statement on one connection (it reads the edges table and builds
/// its Boost graph on every call, as pgr_dijkstra always does), so the round trip of <c>SELECT 1</c> is reported too.
/// <para>Usage: <c>SituationMap.Analysis.Benchmarks routing-pgrouting --db CONNECTION [--pairs 200] [--seed 7]</c>;
/// <c>scripts/bench.sh routing-pgrouting</c> installs pgRouting and runs it against the local cluster.</para>
/// </summary>
public static class PgRoutingComparison
{
    public const string Mode = "routing-pgrouting";

    private const double Tolerance = 1e-3;
    private const int Warmups = 10;
    private const string EdgesSql = "SELECT id, source, target, cost, reverse_cost FROM edges";

    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        string? db = null;
        var pairs = 200;
        var seed = 7;
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--db" when i + 1 < args.Count: db = args[++i]; break;
                case "--pairs" when i + 1 < args.Count: pairs = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--seed" when i + 1 < args.Count: seed = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                default:
                    Console.Error.WriteLine($"usage: {Mode} --db CONNECTION [--pairs N] [--seed N] (unknown argument '{args[i]}')");
                    return 2;
            }
        }
        if (db is null)
        {
            Console.Error.WriteLine($"usage: {Mode} --db CONNECTION [--pairs N] [--seed N]");
            return 2;
        }

        var clock = Stopwatch.StartNew();
        var graph = OsmRoadReader.BuildGraph(RoutingBenchmarks.LocatePbf());
        var car = ContractionHierarchy.Build(graph, TravelMode.Car);
        var arcs = graph.Out(TravelMode.Car);
        var incoming = graph.In(TravelMode.Car);
        var usable = Enumerable.Range(0, graph.NodeCount)
            .Where(v => arcs.First[v + 1] > arcs.First[v] || incoming.First[v + 1] > incoming.First[v]).ToArray();
        var random = new Random(seed);
        var queries = new (int From, int To)[pairs];
        for (var q = 0; q < pairs; q++)
        {
            // distinct ends (pgr_dijkstra answers a pair with equal ends with no row)
            do queries[q] = (usable[random.Next(usable.Length)], usable[random.Next(usable.Length)]);
            while (queries[q].From == queries[q].To);
        }
        var rows = Enumerable.Range(0, graph.EdgeCount)
            .Select(e => (Id: e + 1L, Source: graph.EdgeFrom[e] + 1L, Target: graph.EdgeTo[e] + 1L,
                Cost: graph.ForwardTime(TravelMode.Car, e), Reverse: graph.BackwardTime(TravelMode.Car, e)))
            .Where(r => double.IsFinite(r.Cost) || double.IsFinite(r.Reverse)).ToList();
        Console.WriteLine($"{Mode}: {graph.NodeCount} nodes, {graph.EdgeCount} edges ({rows.Count} with a car arc, " +
            $"{rows.Count(r => !double.IsFinite(r.Cost) || !double.IsFinite(r.Reverse))} oneway); {pairs} pairs (seed {seed}) " +
            $"among {usable.Length} car nodes; graph and hierarchy in {clock.Elapsed.TotalSeconds:0.0} s");

        await using var dataSource = await OpenAsync(db);
        await using var connection = await dataSource.OpenConnectionAsync();
        await LoadAsync(connection, rows);
        var version = (string)(await new NpgsqlCommand("SELECT pgr_version()", connection).ExecuteScalarAsync())!;
        var server = (string)(await new NpgsqlCommand("SHOW server_version", connection).ExecuteScalarAsync())!;

        await using var dijkstra = new NpgsqlCommand(
            "SELECT agg_cost FROM pgr_dijkstra($1, $2, $3, directed => true) WHERE edge = -1", connection)
        {
            Parameters = { new() { Value = EdgesSql }, new() { NpgsqlDbType = NpgsqlDbType.Bigint }, new() { NpgsqlDbType = NpgsqlDbType.Bigint } },
        };
        await dijkstra.PrepareAsync();
        async Task<double> PgRouting(int from, int to)
        {
            dijkstra.Parameters[1].Value = (long)from + 1;
            dijkstra.Parameters[2].Value = (long)to + 1;
            return await dijkstra.ExecuteScalarAsync() is double seconds ? seconds : double.PositiveInfinity;
        }
        await using var ping = new NpgsqlCommand("SELECT 1", connection);
        await ping.PrepareAsync();

        // Warm-up. In process: every pair, repeated for at least a second, so that tiered compilation has promoted the
        // hot methods (after 30 calls and a quiet 100 ms). pgRouting: the first pairs (library load, plan cache).
        var warm = Stopwatch.StartNew();
        do
        {
            foreach (var (from, to) in queries)
            {
                car.TravelTime(from, to);
                Dijkstra.TravelTime(graph, TravelMode.Car, graph.AtNode(from), graph.AtNode(to));
            }
        }
        while (warm.Elapsed < TimeSpan.FromSeconds(1));
        foreach (var (from, to) in queries.Take(Warmups))
        {
            await PgRouting(from, to);
            await ping.ExecuteScalarAsync();
        }

        var pg = new double[pairs];
        var ch = new double[pairs];
        var plain = new double[pairs];
        var roundTrip = new double[pairs];
        var pgSeconds = new double[pairs];
        var chSeconds = new double[pairs];
        var plainSeconds = new double[pairs];
        for (var q = 0; q < pairs; q++)
        {
            var (from, to) = queries[q];
            var watch = Stopwatch.StartNew();
            pgSeconds[q] = await PgRouting(from, to);
            pg[q] = watch.Elapsed.TotalMilliseconds;
            watch.Restart();
            chSeconds[q] = car.TravelTime(from, to);
            ch[q] = watch.Elapsed.TotalMilliseconds;
            watch.Restart();
            plainSeconds[q] = Dijkstra.TravelTime(graph, TravelMode.Car, graph.AtNode(from), graph.AtNode(to));
            plain[q] = watch.Elapsed.TotalMilliseconds;
            watch.Restart();
            await ping.ExecuteScalarAsync();
            roundTrip[q] = watch.Elapsed.TotalMilliseconds;
        }

        var mismatches = 0;
        var worst = 0.0;
        for (var q = 0; q < pairs; q++)
        {
            foreach (var ours in new[] { chSeconds[q], plainSeconds[q] })
            {
                var agree = double.IsPositiveInfinity(ours) ? double.IsPositiveInfinity(pgSeconds[q]) : Math.Abs(ours - pgSeconds[q]) <= Tolerance;
                if (double.IsFinite(ours) && double.IsFinite(pgSeconds[q])) worst = Math.Max(worst, Math.Abs(ours - pgSeconds[q]));
                if (agree) continue;
                mismatches++;
                Console.WriteLine($"{Mode}: MISMATCH {queries[q].From + 1} → {queries[q].To + 1}: pgRouting {pgSeconds[q]} s, ours {ours} s");
            }
        }
        var reachable = pgSeconds.Count(double.IsFinite);
        Console.WriteLine($"{Mode}: PostgreSQL {server}, pgRouting {version}; {reachable} of {pairs} pairs reachable " +
            $"(mean {pgSeconds.Where(double.IsFinite).DefaultIfEmpty().Average():0} s of driving); largest |Δ| {worst:0.###e+0} s; " +
            $"{mismatches} disagreements beyond {Tolerance} s");
        Console.WriteLine();
        Console.WriteLine("| per query | median ms | mean ms | p90 ms | ÷ contraction hierarchy (medians) |");
        Console.WriteLine("|---|---|---|---|---|");
        void Row(string name, double[] times) => Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {name} | {Percentile(times, 50):0.####} | {times.Average():0.####} | {Percentile(times, 90):0.####} | {Percentile(times, 50) / Percentile(ch, 50):0.#} |"));
        Row("pgRouting pgr_dijkstra (round trip)", pg);
        Row("SELECT 1 (round trip)", roundTrip);
        Row("ContractionHierarchy.TravelTime", ch);
        Row("Dijkstra.TravelTime (plain, in process)", plain);
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{Mode}: pgr_dijkstra ÷ contraction hierarchy: median {Percentile(pg, 50) / Percentile(ch, 50):0} ×, mean {pg.Average() / ch.Average():0} × " +
            $"(pgr_dijkstra − SELECT 1 round trip ÷ hierarchy, medians: {(Percentile(pg, 50) - Percentile(roundTrip, 50)) / Percentile(ch, 50):0} ×); " +
            $"pgr_dijkstra ÷ plain Dijkstra in process: median {Percentile(pg, 50) / Percentile(plain, 50):0.0} ×"));
        return mismatches == 0 ? 0 : 1;
    }

    /// <summary>A data source on the database of the connection string, created when missing, with pgRouting.</summary>
    private static async Task<NpgsqlDataSource> OpenAsync(string connectionString)
    {
        var target = new NpgsqlConnectionStringBuilder(connectionString);
        var name = target.Database ?? throw new ArgumentException("--db needs a Database.", nameof(connectionString));
        var admin = new NpgsqlConnectionStringBuilder(connectionString) { Database = "postgres", Pooling = false };
        await using (var connection = new NpgsqlConnection(admin.ConnectionString))
        {
            await connection.OpenAsync();
            await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", connection) { Parameters = { new() { Value = name } } };
            if (await exists.ExecuteScalarAsync() is null)
            {
                Console.WriteLine($"{Mode}: creating database {name}");
                await new NpgsqlCommand($"CREATE DATABASE \"{name.Replace("\"", "\"\"", StringComparison.Ordinal)}\"", connection).ExecuteNonQueryAsync();
            }
        }
        var dataSource = NpgsqlDataSource.Create(target.ConnectionString);
        await using (var connection = await dataSource.OpenConnectionAsync())
        {
            try
            {
                await new NpgsqlCommand("CREATE EXTENSION IF NOT EXISTS pgrouting CASCADE", connection).ExecuteNonQueryAsync();
            }
            catch (PostgresException e)
            {
                throw new InvalidOperationException($"pgRouting is not available in {name} ({e.MessageText}); install postgresql-15-pgrouting (scripts/bench.sh {Mode} does).", e);
            }
        }
        return dataSource;
    }

    /// <summary>Reloads the edges table (binary COPY, indexes on id/source/target, ANALYZE).</summary>
    private static async Task LoadAsync(NpgsqlConnection connection, List<(long Id, long Source, long Target, double Cost, double Reverse)> rows)
    {
        var clock = Stopwatch.StartNew();
        await new NpgsqlCommand(
            "DROP TABLE IF EXISTS edges; " +
            "CREATE TABLE edges (id bigint PRIMARY KEY, source bigint NOT NULL, target bigint NOT NULL, " +
            "cost double precision NOT NULL, reverse_cost double precision NOT NULL)", connection).ExecuteNonQueryAsync();
        await using (var writer = await connection.BeginBinaryImportAsync("COPY edges (id, source, target, cost, reverse_cost) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var (id, source, target, cost, reverse) in rows)
            {
                await writer.StartRowAsync();
                await writer.WriteAsync(id, NpgsqlDbType.Bigint);
                await writer.WriteAsync(source, NpgsqlDbType.Bigint);
                await writer.WriteAsync(target, NpgsqlDbType.Bigint);
                await writer.WriteAsync(double.IsFinite(cost) ? cost : -1, NpgsqlDbType.Double);
                await writer.WriteAsync(double.IsFinite(reverse) ? reverse : -1, NpgsqlDbType.Double);
            }
            await writer.CompleteAsync();
        }
        await new NpgsqlCommand("CREATE INDEX ON edges (source); CREATE INDEX ON edges (target); ANALYZE edges", connection).ExecuteNonQueryAsync();
        Console.WriteLine($"{Mode}: loaded {rows.Count} edges in {clock.Elapsed.TotalMilliseconds:0} ms");
    }

    private static double Percentile(double[] values, double percent)
    {
        var sorted = values.Order().ToArray();
        var rank = percent / 100 * (sorted.Length - 1);
        var low = (int)Math.Floor(rank);
        var high = Math.Min(sorted.Length - 1, low + 1);
        return sorted[low] + (sorted[high] - sorted[low]) * (rank - low);
    }
}
