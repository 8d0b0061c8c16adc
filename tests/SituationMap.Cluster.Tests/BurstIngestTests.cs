using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using SituationMap.Server.Accounts;
using SituationMap.Testing;

namespace SituationMap.Cluster.Tests;

public sealed class BurstIngestTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    private const int Requests = 50, UnitsPerRequest = 20, PositionsPerUnit = 5;

    [Fact]
    public async Task FiveThousandPositionsInOneSecondAreStoredOrRefusedWith429AndTheirMovesReachEveryClientExactlyOnce()
    {
        if (cluster.SkipReason is { } skip)
        {
            Console.WriteLine("SKIPPED: " + skip);
            return;
        }
        // 1,000 units (half in each district), made in SQL from one made through the API
        var template = await cluster.Client().CreateAsync("patrol-units", Api.Feature(Api.Point(ClusterFixture.West, ClusterFixture.Lat),
            new JsonObject { ["call_sign"] = "TEMPLATE", ["level"] = 2, ["mode"] = "vehicle", ["district"] = "SA" }));
        await cluster.ExecuteAsync($"""
            INSERT INTO patrol_units (call_sign, level, mode, status, district, geom)
            SELECT 'BU-' || g, level, mode, status, CASE WHEN g % 2 = 0 THEN 'SA' ELSE 'SB' END,
                   ST_SetSRID(ST_MakePoint(CASE WHEN g % 2 = 0 THEN {ClusterFixture.West} ELSE {ClusterFixture.East} END, {ClusterFixture.Lat}), 4326)
            FROM patrol_units, generate_series(1, {Requests * UnitsPerRequest}) g WHERE id = {template.Id()}
            """);
        var units = new List<(long Id, bool West)>();
        await using (var connection = new Npgsql.NpgsqlConnection(cluster.DatabaseConnectionString))
        {
            await connection.OpenAsync();
            await using var cmd = new Npgsql.NpgsqlCommand("SELECT id, district = 'SA' FROM patrol_units WHERE call_sign LIKE 'BU-%' ORDER BY id", connection);
            await using var reader = await cmd.ExecuteReaderAsync();
            while (await reader.ReadAsync()) units.Add((reader.GetInt64(0), reader.GetBoolean(1)));
        }
        Assert.Equal(Requests * UnitsPerRequest, units.Count);
        var tokens = new List<string>();
        for (var i = 1; i <= 3; i++) tokens.Add(await cluster.CreateAccountAsync($"avl-gateway-{i}", [Roles.Dispatcher], []));

        var baseline = await cluster.HeadSeqAsync();
        var everything = new LiveView(["patrol_units"]);
        var clients = new List<ResilientLiveClient>
        {
            await cluster.ConnectLiveAsync("units@node1", cluster.Via(1), everything, baseline),
            await cluster.ConnectLiveAsync("units@node2", cluster.Via(2), everything, baseline),
            await cluster.ConnectLiveAsync("units@nginx", cluster.ViaNginx, everything, baseline),
            await cluster.ConnectLiveAsync("units+incidents west@nginx", cluster.ViaNginx,
                new LiveView(["patrol_units", "incidents"], [ClusterFixture.West - 0.005, ClusterFixture.Lat - 0.005, ClusterFixture.West + 0.005, ClusterFixture.Lat + 0.005]), baseline),
            await cluster.ConnectLiveAsync("units SB@node1", cluster.Via(1), everything with { Districts = ["SB"] }, baseline,
                await cluster.CreateAccountAsync("sb-watch", [Roles.Viewer], ["SB"])),
        };
        try
        {
            var rssBefore = cluster.Nodes.Select(n => n.ResidentBytes()).ToList();
            var senders = new List<HttpClient>();
            foreach (var token in tokens)
            {
                senders.Add(cluster.Client(token: token));
                senders.Add(cluster.Client(cluster.Node(1), token));
                senders.Add(cluster.Client(cluster.Node(2), token));
            }
            var now = DateTimeOffset.UtcNow;
            var random = new Random(51);
            var batches = Enumerable.Range(0, Requests).Select(k =>
            {
                var mine = units.Skip(k * UnitsPerRequest).Take(UnitsPerRequest).ToList();
                var positions = new JsonArray();
                foreach (var (id, west) in mine)
                {
                    for (var j = 0; j < PositionsPerUnit; j++)
                    {
                        positions.Add(new JsonObject
                        {
                            ["unit_id"] = id,
                            ["recorded_at"] = Api.Iso(now.AddSeconds(j - PositionsPerUnit)),
                            ["longitude"] = (west ? ClusterFixture.West : ClusterFixture.East) + (random.NextDouble() - 0.5) * 0.015,
                            ["latitude"] = ClusterFixture.Lat + (random.NextDouble() - 0.5) * 0.015,
                            ["speed_mps"] = 8.5,
                            ["heading_deg"] = 90,
                        });
                    }
                }
                return (Units: mine.Select(u => u.Id).ToArray(), Body: new JsonObject { ["positions"] = positions }.ToJsonString());
            }).ToList();

            var clock = Stopwatch.StartNew();
            var answers = await Task.WhenAll(batches.Select(async (b, k) =>
            {
                using var response = await senders[k % senders.Count].PostAsync("/api/patrol-units/positions", Api.Raw(b.Body));
                return (Batch: b, Status: response.StatusCode, RetryAfter: response.Headers.RetryAfter, Body: await response.Content.ReadAsStringAsync());
            }));
            var took = clock.Elapsed;
            var head = await cluster.HeadSeqAsync();
            Console.WriteLine($"burst: {Requests * UnitsPerRequest * PositionsPerUnit} positions in {Requests} requests took {took.TotalMilliseconds:F0} ms; " +
                string.Join(", ", answers.GroupBy(a => a.Status).Select(g => $"{(int)g.Key}: {g.Count()}")));

            var wrong = answers.Where(a => !((int)a.Status is >= 200 and < 300 || (a.Status == HttpStatusCode.TooManyRequests && a.RetryAfter is not null))).ToList();
            Assert.True(wrong.Count == 0, "every answer should be 2xx, or 429 with Retry-After:\n" + string.Join("\n", wrong.Take(10).Select(a => $"{(int)a.Status} {a.Body}")));
            var accepted = answers.Where(a => (int)a.Status is >= 200 and < 300).ToList();
            Assert.True(accepted.Count > 0, "no batch was accepted");
            foreach (var a in answers)
            {
                var stored = await cluster.ScalarAsync($"SELECT count(*) FROM unit_positions WHERE unit_id IN ({string.Join(",", a.Batch.Units)})");
                var want = accepted.Contains(a) ? UnitsPerRequest * PositionsPerUnit : 0;
                Assert.True(stored == want, $"a batch answered {(int)a.Status} has {stored} positions stored, not {want}: {a.Body}");
            }
            var rows = await cluster.ChangeLogAsync(baseline, head);
            var moved = rows.Where(r => r.Layer == "patrol_units" && r.Kind == "moved").Select(r => r.FeatureId).ToList();
            var acceptedUnits = accepted.SelectMany(a => a.Batch.Units).ToList();
            Assert.True(moved.Count == acceptedUnits.Count && moved.ToHashSet().SetEquals(acceptedUnits),
                $"each unit of an accepted batch should move exactly once in the change log: {moved.Count} moves for {acceptedUnits.Count} units");

            await Delivery.AssertExactlyOnceAsync(cluster, clients, baseline, head, TimeSpan.FromSeconds(60), $"; burst took {took.TotalMilliseconds:F0} ms");
            Assert.True(clients[0].Events.Count == acceptedUnits.Count, $"units@node1 received {clients[0].Events.Count} moves for {acceptedUnits.Count} units");

            var rssAfter = cluster.Nodes.Select(n => n.ResidentBytes()).ToList();
            var growth = rssBefore.Zip(rssAfter, (b, a) => a - b).ToList();
            Console.WriteLine("VmRSS MB before/after: " + string.Join(", ", cluster.Nodes.Select((n, i) => $"{n.Name} {rssBefore[i] >> 20}→{rssAfter[i] >> 20}")));
            Assert.True(growth.All(g => g < 500L << 20),
                "a node's working set should stay bounded (< +500 MB): " + string.Join(", ", cluster.Nodes.Select((n, i) => $"{n.Name} {rssBefore[i] >> 20} → {rssAfter[i] >> 20} MB")));
        }
        finally
        {
            foreach (var c in clients) await c.DisposeAsync();
        }
    }
}
