using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using NetTopologySuite.Geometries;
using Npgsql;
using SituationMap.Server.Accounts;
using SituationMap.Server.Live;

namespace SituationMap.Benchmarks;

/// <summary>
/// Load on a cluster (scripts/bench.sh cluster starts it with scripts/cluster.sh, 1 node then 2, behind nginx), all
/// through the cluster's front:
/// (a) live clients: lean WebSocket probes (LeanHubClient), most subscribed to a random district-sized viewport of the
///     demo city, a tenth city-wide, ramped up while a writer makes 100 changes/s (half AVL positions, half incident
///     upserts spread over the city). Latency = probe receipt − the writer's 2xx for that change (one clock).
///     Delivery is checked exactly: after each step the change_log rows of the step are read back and every probe's
///     expected set is computed with the server's own filter (LiveFilter: layers, bbox + 25 % margin); missing,
///     duplicated and unexpected deliveries are counted.
/// (b) sustained writes: incident upserts at rising rates with a few hundred probes connected.
/// (c) AVL ingest: batches of 100 positions from several concurrent writers (several accounts: the ingest limit is
///     per account), rows counted in unit_positions.
/// (d) incident tiles under wrk (-t2 -c32) over every z13–z16 tile of the densest 4 km × 4 km (TileThroughput's set).
/// Results: artifacts/bench/cluster.{md,json}; runs with another node count are kept, the same node count replaced.
/// </summary>
public static class ClusterLoad
{
    private const string Source = "bench-cluster";
    private static readonly string[] LiveLayers = ["incidents", "patrol_units"];

    public static async Task RunAsync(BenchOptions options, string[] args)
    {
        var nodes = int.Parse(Arg(args, "nodes", "1"), CultureInfo.InvariantCulture);
        var steps = Ints(Arg(args, "steps", "500,1000,2000,3000"));
        var writeRates = Ints(Arg(args, "write-rates", "50,100,200,300,450,600"));
        var keep = int.Parse(Arg(args, "write-clients", "300"), CultureInfo.InvariantCulture);
        var stepTime = args.Contains("--seconds") ? options.Duration : TimeSpan.FromSeconds(15);
        var writeTime = TimeSpan.FromSeconds(double.Parse(Arg(args, "write-seconds", "10"), CultureInfo.InvariantCulture));
        var writerCount = int.Parse(Arg(args, "writers", "12"), CultureInfo.InvariantCulture);
        var clock = Stopwatch.StartNew();

        await using var db = new NpgsqlDataSourceBuilder(options.Database).Build();
        var city = await City.LoadAsync(db);
        using (var http = options.Http())
        {
            using var ready = await http.GetAsync("/health/ready");
            Console.WriteLine($"cluster: {options.Server} /health/ready → {(int)ready.StatusCode} (node header: {NodeOf(ready) ?? "none"}); {nodes} node(s)");
        }
        await RemoveBenchIncidentsAsync(db); // left over by an interrupted run: every run starts from the demo city as loaded
        var tokens = await WriterTokensAsync(options, writerCount);
        Console.WriteLine($"cluster: {tokens.Count} writer accounts (per-account limits: 50 writes/s, burst 200; 250 position batches/s, burst 500 — per node)");
        var writer = new Writer(options.Server, tokens, city);
        var run = new ClusterRun(nodes, DateTimeOffset.UtcNow, Machine(), Shown(args)) { LoadBefore = LoadAverage() };
        Console.WriteLine($"cluster: load average before: {run.LoadBefore} (other work on this machine skews every figure)");

        // (a) live clients, ramped; (b) sustained writes with the first `keep` of them
        using var stop = new CancellationTokenSource();
        var probes = new List<Probe>();
        var pinger = PingLoopAsync(probes, stop.Token);
        var random = new Random(42);
        foreach (var target in steps)
        {
            var (added, failed) = await ConnectAsync(options, city, random, probes, target - probes.Count, stop.Token);
            if (failed > 0) Console.WriteLine($"live: {failed} of {added + failed} connections failed");
            await Task.Delay(TimeSpan.FromSeconds(2));
            var step = await MeasureAsync(db, Snapshot(probes), writer, options.ChangesPerSecond, 0.5, stepTime);
            step = step with { ConnectFailures = failed };
            run.Live.Add(step);
            Console.WriteLine($"live: {step}");
            if (failed > target / 100 || step.P99 > 2_000 || step.Missing > step.Expected / 20)
            {
                Console.WriteLine("live: stopping the ramp here (p99 over 2 s, over 5 % missing or over 1 % failed connections)");
                break;
            }
        }
        await DisposeAsync(probes.Skip(keep).ToList());
        lock (probes) probes.RemoveRange(Math.Min(keep, probes.Count), Math.Max(0, probes.Count - keep));
        foreach (var rate in writeRates)
        {
            var step = await MeasureAsync(db, Snapshot(probes), writer, rate, 0, writeTime);
            run.Writes.Add(step);
            Console.WriteLine($"writes: {step}");
            if (step.Achieved < 0.9 * rate) break;
        }
        await stop.CancelAsync();
        await pinger;
        await DisposeAsync(Snapshot(probes));

        // (c) AVL ingest, (d) tiles under wrk
        run.Ingest = await IngestAsync(db, options.Server, tokens.Take(4).ToList(), city, TimeSpan.FromSeconds(10));
        Console.WriteLine($"ingest: {run.Ingest}");
        run.Tiles = await WrkTilesAsync(options, db);
        Console.WriteLine($"tiles: {run.Tiles}");
        await RemoveBenchIncidentsAsync(db);
        run.LoadAfter = LoadAverage();
        Console.WriteLine($"cluster: {nodes} node(s) measured in {clock.Elapsed.TotalSeconds:0} s; load average after: {run.LoadAfter}");
        ClusterReport.Write(options.OutDirectory, run);
    }

    /// <summary>Deletes the benchmark's incidents (source bench-cluster) as a bulk load (no change-log rows), so that the
    /// demo city keeps its 100,000 incidents (scripts/bench.sh reloads it otherwise).</summary>
    private static async Task RemoveBenchIncidentsAsync(NpgsqlDataSource db)
    {
        await using var connection = await db.OpenConnectionAsync();
        await using var tx = await connection.BeginTransactionAsync();
        await using (var bulk = new NpgsqlCommand("SET LOCAL situationmap.bulk_load = 'on'", connection, tx)) await bulk.ExecuteNonQueryAsync();
        await using (var delete = new NpgsqlCommand($"DELETE FROM incidents WHERE source = '{Source}'", connection, tx)) await delete.ExecuteNonQueryAsync();
        await tx.CommitAsync();
    }

    private static string Arg(string[] args, string name, string fallback)
    {
        var i = Array.IndexOf(args, "--" + name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }

    /// <summary>The arguments as the report shows them: without the connection string, token, server and folder.</summary>
    private static string Shown(string[] args)
    {
        var shown = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] is "--db" or "--token" or "--server" or "--out") { i++; continue; }
            shown.Add(args[i]);
        }
        return string.Join(' ', shown);
    }

    private static string LoadAverage()
    {
        try { return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) + " (1/5/15 min)"; }
        catch (IOException) { return "?"; }
    }

    private static int[] Ints(string list) => [.. list.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(s => int.Parse(s, CultureInfo.InvariantCulture))];

    private static string? NodeOf(HttpResponseMessage r) => r.Headers.TryGetValues("X-SituationMap-Node", out var v) ? v.FirstOrDefault() : null;

    private static string Machine() =>
        $"{Environment.ProcessorCount} cores ({CpuModel()}), {MemoryGiB()} GiB, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}";

    private static string CpuModel()
    {
        try { return File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "?"; }
        catch (IOException) { return "?"; }
    }

    private static string MemoryGiB()
    {
        try
        {
            var kb = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
            return (long.Parse(kb, CultureInfo.InvariantCulture) / 1024.0 / 1024).ToString("0", CultureInfo.InvariantCulture);
        }
        catch (IOException) { return "?"; }
    }

    // ---------------------------------------------------------------- accounts

    /// <summary>Writer accounts bench-writer-01.. (role dispatcher: incidents and units write) and a fresh 1-day token
    /// for each, through the admin API with the benchmark account's token.</summary>
    private static async Task<List<string>> WriterTokensAsync(BenchOptions options, int count)
    {
        using var admin = options.Http();
        for (var i = 1; i <= count; i++)
        {
            using var created = await admin.PostAsync("/api/admin/accounts", Json($"{{\"username\":\"bench-writer-{i:00}\",\"roles\":[\"dispatcher\"]}}"));
            if (created.StatusCode is not (HttpStatusCode.Created or HttpStatusCode.Conflict))
                throw new InvalidOperationException($"creating bench-writer-{i:00}: {(int)created.StatusCode} {await created.Content.ReadAsStringAsync()}");
        }
        using var list = JsonDocument.Parse(await admin.GetStringAsync("/api/admin/accounts"));
        var ids = list.RootElement.EnumerateArray().ToDictionary(a => a.GetProperty("username").GetString()!, a => a.GetProperty("id").GetInt64());
        var tokens = new List<string>();
        var expires = DateTimeOffset.UtcNow.AddDays(1).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        for (var i = 1; i <= count; i++)
        {
            using var token = await admin.PostAsync($"/api/admin/accounts/{ids[$"bench-writer-{i:00}"]}/tokens", Json($"{{\"name\":\"bench.sh cluster\",\"expires_at\":\"{expires}\"}}"));
            var body = await token.Content.ReadAsStringAsync();
            if (token.StatusCode != HttpStatusCode.Created) throw new InvalidOperationException($"token for bench-writer-{i:00}: {(int)token.StatusCode} {body}");
            using var json = JsonDocument.Parse(body);
            tokens.Add(json.RootElement.GetProperty("plain").GetString()!);
        }
        return tokens;
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    // ---------------------------------------------------------------- live probes

    private sealed class Probe(LeanHubClient client, LiveFilter filter, bool cityWide)
    {
        private readonly Lock _gate = new();
        private List<(long Seq, long At)> _got = [];

        public LeanHubClient Client { get; } = client;

        public LiveFilter Filter { get; } = filter;

        public bool CityWide { get; } = cityWide;

        public Task Receiver { get; set; } = Task.CompletedTask;

        public void Add(long seq, long at)
        {
            lock (_gate) _got.Add((seq, at));
        }

        public int Count
        {
            get
            {
                lock (_gate) return _got.Count;
            }
        }

        public List<(long Seq, long At)> Take()
        {
            lock (_gate)
            {
                var got = _got;
                _got = [];
                return got;
            }
        }

        /// <summary>What the server's filter decides for an account that sees everything (LiveFilter.Decide's first test).</summary>
        public bool Expects(Change c) => Filter.Layers.Contains(c.Layer) && (Filter.Area is null || c.Bounds is null || Filter.Area.Intersects(c.Bounds));
    }

    private static List<Probe> Snapshot(List<Probe> probes)
    {
        lock (probes) return [.. probes];
    }

    /// <summary>Opens `count` more probes, 50 at a time: one in ten city-wide, the others a district-sized box placed at
    /// random inside the city (the size of one of its districts).</summary>
    private static async Task<(int Added, int Failed)> ConnectAsync(BenchOptions options, City city, Random random, List<Probe> probes, int count, CancellationToken stop)
    {
        if (count <= 0) return (0, 0);
        var start = Snapshot(probes).Count;
        var plans = Enumerable.Range(start, count).Select(i =>
        {
            if (i % 10 == 0) return null;
            var (w, h) = city.DistrictSizes[random.Next(city.DistrictSizes.Count)];
            var x = city.Extent.MinX + random.NextDouble() * Math.Max(0, city.Extent.Width - w);
            var y = city.Extent.MinY + random.NextDouble() * Math.Max(0, city.Extent.Height - h);
            return new[] { x, y, x + w, y + h };
        }).ToList();
        using var gate = new SemaphoreSlim(50);
        var failed = 0;
        var added = 0;
        await Task.WhenAll(plans.Select(async bbox =>
        {
            await gate.WaitAsync();
            try
            {
                var filter = LiveFilter.From(new LiveSubscription(bbox, LiveLayers, null, null), UserScope.Everything);
                var argument = bbox is null
                    ? "{\"layers\":[\"incidents\",\"patrol_units\"]}"
                    : string.Create(CultureInfo.InvariantCulture, $"{{\"bbox\":[{bbox[0]:R},{bbox[1]:R},{bbox[2]:R},{bbox[3]:R}],\"layers\":[\"incidents\",\"patrol_units\"]}}");
                var client = await LeanHubClient.ConnectAsync(options.Server, options.Token, argument);
                var probe = new Probe(client, filter, bbox is null);
                probe.Receiver = Task.Run(() => client.ReceiveAsync(probe.Add, stop));
                var accepted = await client.Accepted.WaitAsync(TimeSpan.FromSeconds(30));
                if (accepted.Contains("\"error\"", StringComparison.Ordinal)) throw new InvalidOperationException("Subscribe failed: " + accepted);
                lock (probes) probes.Add(probe);
                Interlocked.Increment(ref added);
            }
            catch (Exception e) when (e is System.Net.WebSockets.WebSocketException or TimeoutException or InvalidOperationException or HttpRequestException)
            {
                if (Interlocked.Increment(ref failed) <= 3) Console.WriteLine($"live: connection failed: {e.Message}");
            }
            finally
            {
                gate.Release();
            }
        }));
        return (added, failed);
    }

    /// <summary>Hub pings every 10 s: the server drops a client that is silent for 30 s, and these stay for minutes.</summary>
    private static async Task PingLoopAsync(List<Probe> probes, CancellationToken stop)
    {
        try
        {
            while (!stop.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromSeconds(10), stop);
                foreach (var p in Snapshot(probes))
                {
                    try { await p.Client.PingAsync(); }
                    catch (Exception e) when (e is System.Net.WebSockets.WebSocketException or ObjectDisposedException) { }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static async Task DisposeAsync(List<Probe> probes)
    {
        foreach (var p in probes) await p.Client.DisposeAsync();
        try
        {
            await Task.WhenAll(probes.Select(p => p.Receiver));
        }
        catch (Exception e) when (e is System.Net.WebSockets.WebSocketException or ObjectDisposedException or OperationCanceledException)
        {
            // a receiver ending with its closed socket is the expected end
        }
    }

    // ---------------------------------------------------------------- one measured step

    /// <summary>A change-log row: committed_at is clock_timestamp() when the trigger wrote it (the writing transaction
    /// holds the head lock by then; its COMMIT follows).</summary>
    private sealed record Change(long Seq, string Layer, Envelope? Bounds, DateTimeOffset LoggedAt);

    private static async Task<long> HeadAsync(NpgsqlDataSource db)
    {
        await using var cmd = db.CreateCommand("SELECT seq FROM change_log_head");
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    private static async Task<List<Change>> ChangesAsync(NpgsqlDataSource db, long after, long upTo)
    {
        await using var cmd = db.CreateCommand("SELECT seq, layer, min_x, min_y, max_x, max_y, committed_at FROM change_log WHERE seq > $1 AND seq <= $2 ORDER BY seq");
        cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = after });
        cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = upTo });
        var rows = new List<Change>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var bounds = reader.IsDBNull(2) ? null : new Envelope(reader.GetDouble(2), reader.GetDouble(4), reader.GetDouble(3), reader.GetDouble(5));
            rows.Add(new Change(reader.GetInt64(0), reader.GetString(1), bounds, reader.GetFieldValue<DateTimeOffset>(6)));
        }
        return rows;
    }

    /// <summary>Writes for `duration` at `rate` (share `positions` of them AVL positions), waits 3 s for the last
    /// deliveries, then compares what every probe received with the change_log rows of the step.</summary>
    private static async Task<LiveStep> MeasureAsync(NpgsqlDataSource db, List<Probe> probes, Writer writer, double rate, double positions, TimeSpan duration)
    {
        foreach (var p in probes) p.Take();
        // probe receipts are Stopwatch timestamps; this pair puts them on the wall clock that PostgreSQL's
        // clock_timestamp() also reads (same machine)
        var (anchorTicks, anchorWall) = (Stopwatch.GetTimestamp(), DateTimeOffset.UtcNow);
        var resyncs = probes.Sum(p => p.Client.Resyncs);
        var from = await HeadAsync(db);
        var committedAt = new ConcurrentDictionary<long, long>();
        var w = await writer.RunAsync(rate, positions, duration, committedAt);
        // drain: wait until the probes have received nothing new for 2 s (at least 3 s, at most 30 s), so that a
        // backlog counts as late, not as missing
        var drain = Stopwatch.StartNew();
        var (lastCount, lastGrowth) = (-1L, TimeSpan.Zero);
        while (drain.Elapsed < TimeSpan.FromSeconds(30))
        {
            var count = probes.Sum(p => (long)p.Count);
            if (count != lastCount) (lastCount, lastGrowth) = (count, drain.Elapsed);
            else if (drain.Elapsed > TimeSpan.FromSeconds(3) && drain.Elapsed - lastGrowth > TimeSpan.FromSeconds(2)) break;
            await Task.Delay(250);
        }
        var upTo = await HeadAsync(db);
        var changes = await ChangesAsync(db, from, upTo);
        var bySeq = changes.ToDictionary(c => c.Seq);

        var latencies = new List<double>();
        var fromLog = new List<double>();
        long expected = 0, delivered = 0, missing = 0, duplicated = 0, unexpected = 0;
        foreach (var p in probes)
        {
            var seen = new HashSet<long>();
            foreach (var (seq, at) in p.Take())
            {
                if (seq <= from || seq > upTo) continue;
                delivered++;
                if (!seen.Add(seq)) { duplicated++; continue; }
                if (!bySeq.TryGetValue(seq, out var c) || !p.Expects(c)) unexpected++;
                if (c is not null) fromLog.Add(Math.Max(0, (anchorWall + Stopwatch.GetElapsedTime(anchorTicks, at) - c.LoggedAt).TotalMilliseconds));
                if (committedAt.TryGetValue(seq, out var written)) latencies.Add(Math.Max(0, Stopwatch.GetElapsedTime(written, at).TotalMilliseconds));
            }
            foreach (var c in changes)
            {
                if (!p.Expects(c)) continue;
                expected++;
                if (!seen.Contains(c.Seq)) missing++;
            }
        }
        latencies.Sort();
        fromLog.Sort();
        var perNode = probes.All(p => p.Client.Node is null) ? "not reported"
            : string.Join(", ", probes.GroupBy(p => p.Client.Node ?? "?").OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} {g.Count()}"));
        return new LiveStep(probes.Count, probes.Count(p => p.CityWide), perNode, rate, w.Ok / duration.TotalSeconds, w.Ok, w.Failed, w.Limited, w.Skipped,
            changes.Count, expected, delivered, missing, duplicated, unexpected, probes.Sum(p => p.Client.Resyncs) - resyncs,
            Percentiles.Of(latencies, 50), Percentiles.Of(latencies, 99), latencies.Count > 0 ? latencies[^1] : double.NaN,
            Percentiles.Of(w.HttpLatencies, 50), Percentiles.Of(w.HttpLatencies, 99), 0,
            Percentiles.Of(fromLog, 50), Percentiles.Of(fromLog, 99));
    }

    // ---------------------------------------------------------------- writers

    private sealed record WriteStats(int Ok, int Failed, int Limited, int Skipped, List<double> HttpLatencies);

    /// <summary>The changes: AVL positions of the city's units (a random walk of ~50 m per report, one unit after the
    /// other) and upserts of 2,000 benchmark incidents (source bench-cluster) at fixed random places across the city,
    /// each write with a new description and severity. Requests go round-robin over the writer accounts' tokens.</summary>
    private sealed class Writer
    {
        private readonly HttpClient[] _http;
        private readonly City _city;
        private readonly double[] _unitLon;
        private readonly double[] _unitLat;
        private readonly (double Lon, double Lat)[] _incidents;
        private readonly Random _random = new(7);
        private long _n;

        /// <summary>Writes waiting for their answer at most; a tick beyond that is not sent (counted): an open-loop writer
        /// that queued without bound would only measure its own queue.</summary>
        public const int MaxInFlight = 64;

        public Writer(Uri server, IReadOnlyList<string> tokens, City city)
        {
            _http = [.. tokens.Select(t => Client(server, t))];
            _city = city;
            _unitLon = [.. city.Units.Select(u => u.Lon)];
            _unitLat = [.. city.Units.Select(u => u.Lat)];
            _incidents = [.. Enumerable.Range(0, 2_000).Select(_ => (city.Extent.MinX + _random.NextDouble() * city.Extent.Width, city.Extent.MinY + _random.NextDouble() * city.Extent.Height))];
        }

        public async Task<WriteStats> RunAsync(double rate, double positionShare, TimeSpan duration, ConcurrentDictionary<long, long> committedAt)
        {
            var latencies = new ConcurrentBag<double>();
            int ok = 0, failed = 0, limited = 0, skipped = 0;
            using var inFlight = new SemaphoreSlim(MaxInFlight);
            var interval = TimeSpan.FromSeconds(1.0 / rate);
            var clock = Stopwatch.StartNew();
            var tasks = new List<Task>();
            var share = 0.0;
            for (var i = 0; clock.Elapsed < duration; i++)
            {
                var due = interval * i;
                if (due > clock.Elapsed) await Task.Delay(due - clock.Elapsed);
                var n = _n++;
                share += positionShare;
                var isPosition = share >= 1;
                if (isPosition) share -= 1;
                var request = isPosition ? Position(n) : Incident(n);
                if (!inFlight.Wait(0)) { skipped++; request.Dispose(); continue; }
                var http = _http[n % _http.Length];
                tasks.Add(Task.Run(async () =>
                {
                    var started = Stopwatch.GetTimestamp();
                    try
                    {
                        using var response = await http.SendAsync(request);
                        var at = Stopwatch.GetTimestamp();
                        if (response.StatusCode == HttpStatusCode.TooManyRequests) { Interlocked.Increment(ref limited); return; }
                        if (!response.IsSuccessStatusCode) { Interlocked.Increment(ref failed); return; }
                        latencies.Add(Stopwatch.GetElapsedTime(started, at).TotalMilliseconds);
                        Interlocked.Increment(ref ok);
                        // a position older than the unit's last one only extends its track (no change, no event)
                        if (isPosition && !(await response.Content.ReadAsStringAsync()).Contains("\"units_moved\":1", StringComparison.Ordinal)) return;
                        if (response.Headers.TryGetValues("X-Change-Seq", out var seq)) committedAt[long.Parse(seq.Single(), CultureInfo.InvariantCulture)] = at;
                    }
                    catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                    {
                        Interlocked.Increment(ref failed);
                    }
                    finally
                    {
                        request.Dispose();
                        inFlight.Release();
                    }
                }));
            }
            await Task.WhenAll(tasks);
            return new WriteStats(ok, failed, limited, skipped, [.. latencies.Order()]);
        }

        private HttpRequestMessage Position(long n)
        {
            var u = (int)(n / 2 % _unitLon.Length);
            _unitLon[u] = Math.Clamp(_unitLon[u] + (_random.NextDouble() - 0.5) * 0.001, _city.Extent.MinX, _city.Extent.MaxX);
            _unitLat[u] = Math.Clamp(_unitLat[u] + (_random.NextDouble() - 0.5) * 0.001, _city.Extent.MinY, _city.Extent.MaxY);
            var body = string.Create(CultureInfo.InvariantCulture,
                $"{{\"positions\":[{{\"unit_id\":{_city.Units[u].Id},\"recorded_at\":\"{DateTimeOffset.UtcNow:yyyy-MM-ddTHH:mm:ss.ffffffZ}\",\"longitude\":{_unitLon[u]:R},\"latitude\":{_unitLat[u]:R},\"speed_mps\":8,\"heading_deg\":90}}]}}");
            return new HttpRequestMessage(HttpMethod.Post, "/api/patrol-units/positions") { Content = Json(body) };
        }

        private HttpRequestMessage Incident(long n)
        {
            var k = (int)(n % _incidents.Length);
            var (lon, lat) = _incidents[k];
            var body = string.Create(CultureInfo.InvariantCulture,
                $"{{\"type\":\"Feature\",\"geometry\":{{\"type\":\"Point\",\"coordinates\":[{lon:R},{lat:R}]}},\"properties\":{{\"category\":\"other\",\"severity\":{1 + n % 4},\"status\":\"reported\",\"occurred_at\":\"2026-11-01T08:00:00Z\",\"description\":\"cluster benchmark write {n}\"}}}}");
            return new HttpRequestMessage(HttpMethod.Put, $"/api/incidents/external/{Source}/c{k}") { Content = Json(body) };
        }
    }

    private static HttpClient Client(Uri server, string token)
    {
        var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 }) { BaseAddress = server, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    // ---------------------------------------------------------------- (c) ingest

    private static async Task<IngestResult> IngestAsync(NpgsqlDataSource db, Uri server, List<string> tokens, City city, TimeSpan duration)
    {
        const int batch = 100;
        const int perToken = 2;
        async Task<long> Rows()
        {
            await using var cmd = db.CreateCommand("SELECT count(*) FROM unit_positions");
            return (long)(await cmd.ExecuteScalarAsync())!;
        }
        var before = await Rows();
        var latencies = new ConcurrentBag<double>();
        int ok = 0, limited = 0, failed = 0;
        var clock = Stopwatch.StartNew();
        var clients = tokens.Select(t => Client(server, t)).ToList();
        var writers = tokens.Count * perToken;
        await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            var http = clients[w % clients.Count];
            var random = new Random(w);
            // each writer is one AVL feed with its own units (as a real feed is): batches that touch the same units
            // concurrently can deadlock on the unit rows and the change-log head (40P01, answered 500)
            var own = city.Units.Where((_, i) => i % writers == w).ToList();
            var body = new StringBuilder();
            while (clock.Elapsed < duration)
            {
                body.Clear().Append("{\"positions\":[");
                var now = DateTimeOffset.UtcNow;
                for (var i = 0; i < batch; i++)
                {
                    var u = own[random.Next(own.Count)];
                    if (i > 0) body.Append(',');
                    body.Append(CultureInfo.InvariantCulture,
                        $"{{\"unit_id\":{u.Id},\"recorded_at\":\"{now.AddMilliseconds(-random.Next(5_000)):yyyy-MM-ddTHH:mm:ss.fffZ}\",\"longitude\":{u.Lon + (random.NextDouble() - 0.5) * 0.002:R},\"latitude\":{u.Lat + (random.NextDouble() - 0.5) * 0.002:R},\"speed_mps\":8}}");
                }
                body.Append("]}");
                var started = Stopwatch.GetTimestamp();
                try
                {
                    using var response = await http.PostAsync("/api/patrol-units/positions", Json(body.ToString()));
                    if (response.StatusCode == HttpStatusCode.TooManyRequests) { Interlocked.Increment(ref limited); await Task.Delay(100); continue; }
                    if (!response.IsSuccessStatusCode) { Interlocked.Increment(ref failed); continue; }
                    latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                    Interlocked.Increment(ref ok);
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    Interlocked.Increment(ref failed);
                }
            }
        })));
        var seconds = clock.Elapsed.TotalSeconds;
        var rows = await Rows() - before;
        foreach (var c in clients) c.Dispose();
        var sorted = latencies.Order().ToList();
        return new IngestResult(tokens.Count * perToken, tokens.Count, batch, seconds, rows, rows / seconds, ok, limited, failed,
            Percentiles.Of(sorted, 50), Percentiles.Of(sorted, 99));
    }

    // ---------------------------------------------------------------- (d) tiles under wrk

    private static async Task<TilesResult> WrkTilesAsync(BenchOptions options, NpgsqlDataSource db)
    {
        var tiles = await TileThroughput.TileSetAsync(db);
        var paths = tiles.Select(t => $"/tiles/incidents/{t.Z}/{t.X}/{t.Y}.mvt").ToList();
        using (var http = options.Http())
        {
            foreach (var p in paths) (await http.GetAsync(p)).Dispose(); // one warm pass (JIT, buffers, caches)
        }
        var script = Path.Combine(Path.GetTempPath(), $"situationmap-tiles-{Environment.ProcessId}.lua");
        File.WriteAllText(script,
            "local paths = {\n" + string.Join(",\n", paths.Select(p => $"  \"{p}\"")) + "\n}\n" +
            "local i = math.random(#paths)\n" +
            "request = function()\n  i = i % #paths + 1\n  return wrk.format(\"GET\", paths[i])\nend\n");
        const string shape = "-t2 -c32 -d20s";
        var start = new ProcessStartInfo("wrk") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-t2", "-c32", "-d20s", "--latency", "-H", "Authorization: Bearer " + options.Token, "-s", script, options.Server.ToString().TrimEnd('/') })
            start.ArgumentList.Add(a);
        using var wrk = Process.Start(start) ?? throw new InvalidOperationException("wrk did not start (apt-get install wrk)");
        var output = await wrk.StandardOutput.ReadToEndAsync();
        var errors = await wrk.StandardError.ReadToEndAsync();
        await wrk.WaitForExitAsync();
        File.Delete(script);
        if (wrk.ExitCode != 0) throw new InvalidOperationException($"wrk failed ({wrk.ExitCode}): {errors}{output}");
        double Number(string pattern) => Regex.Match(output, pattern) is { Success: true } m ? double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
        double Millis(string percentile)
        {
            var m = Regex.Match(output, @"^\s*" + percentile + @"%\s+([\d.]+)(us|ms|s)\b", RegexOptions.Multiline);
            if (!m.Success) return double.NaN;
            var v = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            return m.Groups[2].Value switch { "us" => v / 1000, "s" => v * 1000, _ => v };
        }
        var socketErrors = Regex.Match(output, @"Socket errors: (.*)") is { Success: true } e ? e.Groups[1].Value.Trim() : "none";
        return new TilesResult(shape, tiles.Count, Number(@"Requests/sec:\s+([\d.]+)"), Millis("50"), Millis("99"),
            (long)Number(@"Non-2xx or 3xx responses: (\d+)"), (long)Number(@"(\d+) requests in"), socketErrors);
    }

    // ---------------------------------------------------------------- the city

    private sealed record Unit(long Id, double Lon, double Lat);

    private sealed record City(Envelope Extent, List<(double W, double H)> DistrictSizes, List<Unit> Units)
    {
        public static async Task<City> LoadAsync(NpgsqlDataSource db)
        {
            var sizes = new List<(double, double)>();
            var extent = new Envelope();
            await using (var cmd = db.CreateCommand("SELECT ST_XMin(geom), ST_YMin(geom), ST_XMax(geom), ST_YMax(geom) FROM districts WHERE geom IS NOT NULL"))
            await using (var reader = await cmd.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    var e = new Envelope(reader.GetDouble(0), reader.GetDouble(2), reader.GetDouble(1), reader.GetDouble(3));
                    extent.ExpandToInclude(e);
                    sizes.Add((e.Width, e.Height));
                }
            }
            if (sizes.Count == 0) throw new InvalidOperationException("no districts: load the demo city first");
            var units = new List<Unit>();
            await using (var cmd = db.CreateCommand("SELECT id, ST_X(geom), ST_Y(geom) FROM patrol_units WHERE geom IS NOT NULL ORDER BY id"))
            await using (var reader = await cmd.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync()) units.Add(new Unit(reader.GetInt64(0), reader.GetDouble(1), reader.GetDouble(2)));
            }
            if (units.Count == 0) throw new InvalidOperationException("no patrol units with positions: load the demo city first");
            return new City(extent, sizes, units);
        }
    }
}

/// <summary>One measured step: clients, the writes (offered, achieved per second, outcomes), the exact delivery check
/// against the change log, and latencies (delivery: writer's 2xx → probe; http: the write request itself).</summary>
public sealed record LiveStep(
    int Clients, int CityWide, string PerNode, double Offered, double Achieved, int Writes, int FailedWrites, int Limited, int Skipped,
    int Changes, long Expected, long Delivered, long Missing, long Duplicated, long Unexpected, int Resyncs,
    double P50, double P99, double Max, double HttpP50, double HttpP99, int ConnectFailures, double LogP50 = double.NaN, double LogP99 = double.NaN)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Clients} clients ({PerNode}), {Achieved:0}/{Offered:0} changes/s, {Delivered:N0} delivered of {Expected:N0} expected, missing {Missing}, duplicated {Duplicated}, unexpected {Unexpected}, resyncs {Resyncs}, p50 {P50:0.0} ms, p99 {P99:0.0} ms, max {Max:0} ms (from the log row: p50 {LogP50:0.0} ms, p99 {LogP99:0.0} ms); writes failed {FailedWrites}, 429 {Limited}, not sent {Skipped}; http p50 {HttpP50:0.0} ms p99 {HttpP99:0.0} ms");
}

public sealed record IngestResult(int Writers, int Accounts, int Batch, double Seconds, long Rows, double PerSecond, int Batches, int Limited, int Failed, double P50, double P99)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Rows:N0} positions in {Seconds:0.0} s = {PerSecond:N0}/s ({Writers} writers, {Accounts} accounts, batches of {Batch}; {Batches} batches ok, 429 {Limited}, failed {Failed}; batch p50 {P50:0.0} ms p99 {P99:0.0} ms)");
}

public sealed record TilesResult(string Shape, int Tiles, double PerSecond, double P50, double P99, long Non2xx, long Requests, string SocketErrors)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"wrk {Shape}: {PerSecond:N0} tiles/s over {Tiles} tiles, p50 {P50:0.0} ms p99 {P99:0.0} ms, {Requests:N0} requests, non-2xx {Non2xx}, socket errors: {SocketErrors}");
}

public sealed class ClusterRun(int nodes, DateTimeOffset at, string machine, string arguments)
{
    public int Nodes { get; set; } = nodes;
    public DateTimeOffset At { get; set; } = at;
    public string Machine { get; set; } = machine;
    public string Arguments { get; set; } = arguments;
    public string? LoadBefore { get; set; }
    public string? LoadAfter { get; set; }
    public List<LiveStep> Live { get; set; } = [];
    public List<LiveStep> Writes { get; set; } = [];
    public IngestResult? Ingest { get; set; }
    public TilesResult? Tiles { get; set; }

    /// <summary>The largest client count whose step had p99 below 250 ms (0 when none).</summary>
    public int ClientsWithin250Ms => Live.Where(s => s.P99 < 250).Select(s => s.Clients).DefaultIfEmpty(0).Max();

    /// <summary>The highest achieved write rate among the steps that reached at least 95 % of what was offered.</summary>
    public LiveStep? Sustained => Writes.Where(s => s.Achieved >= 0.95 * s.Offered).MaxBy(s => s.Achieved);

    /// <summary>The highest write rate achieved in any step (the ceiling when no step kept up with its offer).</summary>
    public LiveStep? Peak => Writes.MaxBy(s => s.Achieved);
}

public static class ClusterReport
{
    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };

    /// <summary>cluster.json keeps one run per node count (this one replaces the previous run with as many nodes);
    /// cluster.md is rendered from all of them and printed.</summary>
    public static void Write(string outDirectory, ClusterRun run)
    {
        Directory.CreateDirectory(outDirectory);
        var path = Path.Combine(outDirectory, "cluster.json");
        var runs = File.Exists(path) ? JsonSerializer.Deserialize<List<ClusterRun>>(File.ReadAllText(path), JsonOptions) ?? [] : [];
        runs.RemoveAll(r => r.Nodes == run.Nodes);
        runs.Add(run);
        runs.Sort((a, b) => a.Nodes.CompareTo(b.Nodes));
        File.WriteAllText(path, JsonSerializer.Serialize(runs, JsonOptions));
        var md = Render(runs);
        File.WriteAllText(Path.Combine(outDirectory, "cluster.md"), md);
        Console.WriteLine();
        Console.WriteLine(md);
    }

    private static string Render(List<ClusterRun> runs)
    {
        var s = new StringBuilder();
        void Line(FormattableString text) => s.AppendLine(text.ToString(CultureInfo.InvariantCulture));
        s.AppendLine("# Cluster load (`scripts/bench.sh cluster`)");
        s.AppendLine();
        foreach (var r in runs) Line($"- {r.Nodes} node(s): measured {r.At:yyyy-MM-dd HH:mm} UTC on {r.Machine}; arguments `{r.Arguments}`; load average before {r.LoadBefore}, after {r.LoadAfter}");
        s.AppendLine("- Everything ran on this one machine: the load generator (probes, writers, wrk), nginx, the server nodes, Redis and PostgreSQL share its cores, so the figures are a floor for separate machines, and a second node on the same cores adds no CPU.");
        s.AppendLine("- Database situationmap_bench_web (the demo city: 100,000 incidents, 1,500 cameras), demo activity off, all traffic through nginx.");
        s.AppendLine();
        s.AppendLine("| nodes | live clients with p99 < 250 ms, 100 changes/s offered (goal, 1 node: 2,000) | sustained incident writes/s (delivery p99, clients) | AVL positions ingested/s | incident tiles/s under wrk -t2 -c32 (p99) |");
        s.AppendLine("|---|---|---|---|---|");
        foreach (var r in runs)
        {
            var sus = r.Sustained;
            var writes = sus is not null ? string.Create(CultureInfo.InvariantCulture, $"{sus.Achieved:N0} ({sus.P99:0} ms, {sus.Clients} clients)")
                : r.Peak is { } peak ? string.Create(CultureInfo.InvariantCulture, $"none kept up; at most {peak.Achieved:N0} of {peak.Offered:N0} offered ({peak.P99:0} ms)")
                : "—";
            var live = r.Live.Count == 0 ? "—" : string.Create(CultureInfo.InvariantCulture,
                $"{(r.ClientsWithin250Ms > 0 ? r.ClientsWithin250Ms.ToString("N0", CultureInfo.InvariantCulture) : "none")} of {string.Join(", ", r.Live.Select(x => x.Clients.ToString("N0", CultureInfo.InvariantCulture)))} (writer achieved {r.Live.Min(x => x.Achieved):0}–{r.Live.Max(x => x.Achieved):0} changes/s)");
            Line($"| {r.Nodes} | {live} | {writes} | {(r.Ingest is { } i ? i.PerSecond.ToString("N0", CultureInfo.InvariantCulture) : "—")} | {(r.Tiles is { } t ? string.Create(CultureInfo.InvariantCulture, $"{t.PerSecond:N0} ({t.P99:0} ms)") : "—")} |");
        }
        s.AppendLine();
        s.AppendLine("## (a) Live clients at 100 changes/s (half AVL positions, half incident upserts, spread over the city)");
        s.AppendLine();
        s.AppendLine("Clients: lean WebSocket probes, 1 in 10 city-wide, the others a random district-sized viewport (+25 % server margin), layers incidents + patrol units. Latency: probe receipt − the writer's 2xx (one clock); ‘from the row’: probe receipt − the change-log row's committed_at (clock_timestamp() in the trigger, before COMMIT; same machine clock), which also counts the rest of the writing transaction. Not sent: ticks skipped because 64 writes were already waiting for an answer. Expected deliveries: every change_log row of the step matched with the server's filter per probe; missing = not received within 3 s after the last write.");
        s.AppendLine();
        s.AppendLine("| nodes | clients (city-wide) | clients per node | changes/s achieved | events delivered / expected | p50 ms | p99 ms | max ms | from the row p50 / p99 ms | missing | duplicated | unexpected | resyncs | failed writes / 429 / not sent |");
        s.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var r in runs)
            foreach (var x in r.Live)
                Line($"| {r.Nodes} | {x.Clients:N0} ({x.CityWide}) | {x.PerNode} | {x.Achieved:0} | {x.Delivered:N0} / {x.Expected:N0} | {x.P50:0.0} | {x.P99:0.0} | {x.Max:0} | {x.LogP50:0.0} / {x.LogP99:0.0} | {x.Missing:N0} | {x.Duplicated:N0} | {x.Unexpected:N0} | {x.Resyncs} | {x.FailedWrites} / {x.Limited} / {x.Skipped} |");
        s.AppendLine();
        s.AppendLine("## (b) Sustained incident writes (upserts of 2,000 incidents across the city)");
        s.AppendLine();
        s.AppendLine("| nodes | clients | offered/s | achieved/s | write HTTP p50 / p99 ms | delivery p50 / p99 / max ms | from the row p50 / p99 ms | delivered / expected | missing | failed / 429 / not sent |");
        s.AppendLine("|---|---|---|---|---|---|---|---|---|---|");
        foreach (var r in runs)
            foreach (var x in r.Writes)
                Line($"| {r.Nodes} | {x.Clients} | {x.Offered:0} | {x.Achieved:0} | {x.HttpP50:0.0} / {x.HttpP99:0.0} | {x.P50:0.0} / {x.P99:0.0} / {x.Max:0} | {x.LogP50:0.0} / {x.LogP99:0.0} | {x.Delivered:N0} / {x.Expected:N0} | {x.Missing:N0} | {x.FailedWrites} / {x.Limited} / {x.Skipped} |");
        s.AppendLine();
        s.AppendLine("## (c) AVL position ingest (no live clients connected)");
        s.AppendLine();
        s.AppendLine("| nodes | writers (accounts) | batch | seconds | rows in unit_positions | positions/s | batches ok | 429 | failed | batch p50 / p99 ms |");
        s.AppendLine("|---|---|---|---|---|---|---|---|---|---|");
        foreach (var r in runs)
            if (r.Ingest is { } i)
                Line($"| {r.Nodes} | {i.Writers} ({i.Accounts}) | {i.Batch} | {i.Seconds:0.0} | {i.Rows:N0} | {i.PerSecond:N0} | {i.Batches:N0} | {i.Limited} | {i.Failed} | {i.P50:0.0} / {i.P99:0.0} |");
        s.AppendLine();
        s.AppendLine("## (d) Incident vector tiles under wrk (every z13–z16 tile of the densest 4 km × 4 km, in turn)");
        s.AppendLine();
        s.AppendLine("| nodes | wrk | tiles | requests/s | p50 ms | p99 ms | requests | non-2xx | socket errors |");
        s.AppendLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var r in runs)
            if (r.Tiles is { } t)
                Line($"| {r.Nodes} | {t.Shape} | {t.Tiles} | {t.PerSecond:N0} | {t.P50:0.0} | {t.P99:0.0} | {t.Requests:N0} | {t.Non2xx} | {t.SocketErrors} |");
        return s.ToString();
    }
}
