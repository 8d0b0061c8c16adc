using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using SituationMap.Server.Infrastructure.Json;
using SituationMap.Server.Live;

namespace SituationMap.Benchmarks;

/// <summary>
/// Live fan-out: N SignalR clients (real WebSockets speaking the JSON hub protocol, reduced to reading the seq of
/// each message: see LeanHubClient) subscribed to the whole city's patrol units; a writer posts one
/// AVL position per request at R changes per second. Latency = the client's receipt of UnitMoved minus the commit of
/// the write that produced it: change_log.committed_at of its seq, which the deferred constraint trigger sm_log_change
/// stamps with clock_timestamp() inside COMMIT (Live/change_log.sql). PostgreSQL runs on the same host, so both
/// times come from the same system clock; receipts are Stopwatch timestamps mapped onto that clock through one
/// (UtcNow, Stopwatch) anchor taken at the start. The earlier figure — receipt minus the moment the writer got the
/// 2xx (after COMMIT, the seq lookup and the response), clamped at 0 — is reported too, as "2xx → client".
/// Goal: p99 below 100 ms (commit → client) with 200 clients and 100 changes/s.
/// </summary>
public static class LiveFanOut
{
    /// <param name="fullClients">true: .NET HubConnections (full deserialisation of every event, as an application
    /// would) instead of the lean probes — the latency then includes the clients' own CPU on the same machine.</param>
    public static async Task<IReadOnlyList<BenchResult>> RunAsync(BenchOptions options, bool fullClients = false)
    {
        await using var dataSource = new NpgsqlDataSourceBuilder(options.Database).Build();
        var units = new List<(long Id, double Lon, double Lat)>();
        await using (var cmd = dataSource.CreateCommand("SELECT id, ST_X(geom), ST_Y(geom) FROM patrol_units WHERE geom IS NOT NULL ORDER BY id"))
        await using (var reader = await cmd.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync()) units.Add((reader.GetInt64(0), reader.GetDouble(1), reader.GetDouble(2)));
        }
        if (units.Count == 0) throw new InvalidOperationException("no patrol units with positions: load the demo city first");

        var answeredAt = new ConcurrentDictionary<long, long>(); // seq → Stopwatch timestamp of the writer's 2xx
        var received = new ConcurrentBag<(long Seq, long At)>();
        var clients = new List<IAsyncDisposable>();
        using var stopReceiving = new CancellationTokenSource();
        var receivers = new List<Task>();
        for (var i = 0; i < options.Clients; i++)
        {
            if (fullClients)
            {
                var connection = options.Hub();
                connection.On<LiveChange>(nameof(ILiveClient.UnitMoved), c => received.Add((c.Seq, Stopwatch.GetTimestamp())));
                await connection.StartAsync();
                await connection.InvokeAsync<SubscriptionAccepted>("Subscribe", new LiveSubscription(null, ["patrol_units"], null, null));
                clients.Add(connection);
                continue;
            }
            var client = await LeanHubClient.ConnectAsync(options.Server, options.Token, "{\"layers\":[\"patrol_units\"]}");
            clients.Add(client);
            receivers.Add(Task.Run(() => client.ReceiveAsync((seq, at) => received.Add((seq, at)), stopReceiving.Token)));
        }
        await Task.Delay(TimeSpan.FromSeconds(1)); // subscriptions take effect
        Console.WriteLine($"{(fullClients ? "fanout-full" : "fanout")}: {clients.Count} clients connected; writing {options.ChangesPerSecond} changes/s for {options.Duration.TotalSeconds} s");

        using var http = options.Http(new SocketsHttpHandler { MaxConnectionsPerServer = 32 });
        var interval = TimeSpan.FromSeconds(1.0 / options.ChangesPerSecond);
        // maps Stopwatch timestamps onto the system clock that PostgreSQL's clock_timestamp() also reads
        var (anchorWall, anchorTicks) = (DateTimeOffset.UtcNow, Stopwatch.GetTimestamp());
        var clock = Stopwatch.StartNew();
        var writes = new List<Task>();
        var n = 0;
        var failures = 0;
        while (clock.Elapsed < options.Duration)
        {
            var due = interval * n;
            if (due > clock.Elapsed) await Task.Delay(due - clock.Elapsed);
            var (id, lon, lat) = units[n % units.Count];
            var step = n / units.Count % 50 * 0.00002;
            var body = string.Create(CultureInfo.InvariantCulture,
                $"{{\"positions\":[{{\"unit_id\":{id},\"recorded_at\":\"{DateTimeOffset.UtcNow:yyyy-MM-ddTHH:mm:ss.fffZ}\",\"longitude\":{lon + step},\"latitude\":{lat},\"speed_mps\":5,\"heading_deg\":90}}]}}");
            n++;
            writes.Add(Task.Run(async () =>
            {
                using var response = await http.PostAsync("/api/patrol-units/positions", new StringContent(body, Encoding.UTF8, "application/json"));
                var at = Stopwatch.GetTimestamp();
                if (!response.IsSuccessStatusCode || !response.Headers.TryGetValues("X-Change-Seq", out var seqHeader))
                {
                    Interlocked.Increment(ref failures);
                    return;
                }
                answeredAt[long.Parse(seqHeader.Single(), CultureInfo.InvariantCulture)] = at;
            }));
        }
        await Task.WhenAll(writes);
        var achievedRate = n / clock.Elapsed.TotalSeconds;
        await Task.Delay(TimeSpan.FromSeconds(3)); // let the last deliveries arrive
        await stopReceiving.CancelAsync();
        foreach (var c in clients) await c.DisposeAsync();
        await Task.WhenAll(receivers);

        // the commit moment of every write, from the log row its COMMIT wrote
        var committedAt = new Dictionary<long, DateTimeOffset>();
        await using (var cmd = dataSource.CreateCommand("SELECT seq, committed_at FROM change_log WHERE seq = ANY($1)"))
        {
            cmd.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = answeredAt.Keys.ToArray() });
            await using var reader = await cmd.ExecuteReaderAsync();
            while (await reader.ReadAsync()) committedAt[reader.GetInt64(0)] = reader.GetFieldValue<DateTimeOffset>(1);
        }
        DateTimeOffset Wall(long ticks) => anchorWall + Stopwatch.GetElapsedTime(anchorTicks, ticks);

        var measured = received.Where(r => answeredAt.ContainsKey(r.Seq) && committedAt.ContainsKey(r.Seq)).ToList();
        var latencies = measured.Select(r => (Wall(r.At) - committedAt[r.Seq]).TotalMilliseconds).Order().ToList();
        var beforeCommit = latencies.Count(l => l < 0); // a receipt cannot precede its commit: this counts clock error
        var afterAnswer = measured.Select(r => Stopwatch.GetElapsedTime(answeredAt[r.Seq], r.At).TotalMilliseconds).ToList();
        var beforeAnswer = afterAnswer.Count(l => l < 0);
        var fromAnswer = afterAnswer.Select(l => Math.Max(0, l)).Order().ToList();
        var expected = (long)answeredAt.Count * options.Clients;
        var (p50, p99, max) = (Percentiles.Of(latencies, 50), Percentiles.Of(latencies, 99), latencies.Count > 0 ? latencies[^1] : double.NaN);
        var (a50, a99) = (Percentiles.Of(fromAnswer, 50), Percentiles.Of(fromAnswer, 99));
        Console.WriteLine($"{(fullClients ? "fanout-full" : "fanout")}: {latencies.Count:N0}/{expected:N0} deliveries, commit → client p50 {p50:0.0} ms, " +
            $"p99 {p99:0.0} ms, max {max:0.0} ms ({beforeCommit} before commit); 2xx → client p50 {a50:0.0} ms, p99 {a99:0.0} ms " +
            $"({beforeAnswer} received before the 2xx, counted as 0); {failures} failed writes");
        var name = fullClients ? "fanout (.NET HubConnection clients)" : "fanout";
        var notes = $"{options.Clients} {(fullClients ? ".NET HubConnection" : "lean WebSocket")} clients in one process, {achievedRate:0} changes/s achieved, " +
            $"{latencies.Count:N0} of {expected:N0} deliveries measured; commit = change_log.committed_at (clock_timestamp() in COMMIT), same host clock";
        var answerNotes = $"from the writer's 2xx (after COMMIT, seq lookup and response); {beforeAnswer:N0} deliveries arrived before the 2xx and count as 0";
        return
        [
            new(name, "commit → client p50", p50, "ms", null, notes),
            new(name, "commit → client p99", p99, "ms", "< 100 ms", notes),
            new(name, "commit → client max", max, "ms", null, $"{beforeCommit} receipts stamped before their commit (clock error)"),
            new(name, "2xx → client p50", a50, "ms", null, answerNotes),
            new(name, "2xx → client p99", a99, "ms", null, answerNotes),
            new(name, "deliveries lost", expected - latencies.Count, "", "0", $"{failures} writes failed"),
        ];
    }
}
