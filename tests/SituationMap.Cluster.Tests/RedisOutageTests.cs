using System.Text.Json;
using SituationMap.Server.Hotspots;

namespace SituationMap.Cluster.Tests;

/// <summary>The cluster with hotspot notices every 2 s (instead of 30 s) when incidents changed.</summary>
public sealed class FastNoticesCluster : ClusterFixture
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string> { ["Hotspots__RefreshInterval"] = "00:00:02" };
}

public sealed class RedisOutageTests(FastNoticesCluster cluster) : IClassFixture<FastNoticesCluster>
{
    [Fact]
    public async Task WhenRedisStopsLiveDeliveryGoesOnThroughTheChangeLogAndHealthSaysDegradedUntilItIsBack()
    {
        if (cluster.SkipReason is { } skip)
        {
            Console.WriteLine("SKIPPED: " + skip);
            return;
        }
        var baseline = await cluster.HeadSeqAsync();
        var view = new LiveView(["incidents"]);
        var clients = new List<ResilientLiveClient>
        {
            await cluster.ConnectLiveAsync("node1", cluster.Via(1), view, baseline),
            await cluster.ConnectLiveAsync("node2", cluster.Via(2), view, baseline),
            await cluster.ConnectLiveAsync("nginx", cluster.ViaNginx, view, baseline),
            await cluster.ConnectLiveAsync("nginx east", cluster.ViaNginx, view with { Bbox = [ClusterFixture.East - 0.01, ClusterFixture.Lat - 0.01, ClusterFixture.East + 0.01, ClusterFixture.Lat + 0.01], MarginRatio = 0 }, baseline),
        };
        try
        {
            var healthy = new List<HealthAnswer>();
            foreach (var node in cluster.Nodes) healthy.Add(await HealthProbe.ReadyAsync(node));
            var writer = new IncidentWriter([cluster.Client(), cluster.Client(cluster.Node(1)), cluster.Client(cluster.Node(2))], TimeSpan.FromMilliseconds(40), seed: 41);
            using var stop = new CancellationTokenSource();
            var writing = writer.RunAsync(stop.Token);
            Assert.True(await writer.WaitAcceptedAsync(15, DateTime.UtcNow, TimeSpan.FromSeconds(30)), "writes before Redis stopped: " + writer.Summary());

            cluster.Redis!.Stop();
            var stoppedAt = DateTime.UtcNow;
            var keptWriting = await writer.WaitAcceptedAsync(20, stoppedAt.AddSeconds(1), TimeSpan.FromSeconds(30));
            var degraded = new List<HealthAnswer>();
            foreach (var node in cluster.Nodes) degraded.Add(await HealthProbe.ReadyAsync(node));
            var midOutage = await cluster.HeadSeqAsync();
            // delivery goes on while Redis is down: every client catches up to the head
            foreach (var c in clients) await c.WaitForSeqAsync(midOutage, TimeSpan.FromSeconds(15));
            var caughtUp = clients.Select(c => (c.Label, c.LastSeq)).ToList();

            await cluster.Redis.StartAsync();
            var restartedAt = DateTime.UtcNow;
            var recovered = new List<HealthAnswer>();
            foreach (var node in cluster.Nodes)
            {
                var deadline = DateTime.UtcNow.AddSeconds(30);
                HealthAnswer answer;
                do
                {
                    answer = await HealthProbe.ReadyAsync(node);
                    if (answer.Status == 200 && !answer.Body.Contains("Degraded", StringComparison.OrdinalIgnoreCase)) break;
                    await Task.Delay(250);
                }
                while (DateTime.UtcNow < deadline);
                recovered.Add(answer);
            }
            await writer.WaitAcceptedAsync(10, DateTime.UtcNow, TimeSpan.FromSeconds(30));
            await stop.CancelAsync();
            await writing;
            var head = await cluster.HeadSeqAsync();
            var results = writer.Results;
            var health = $"\nhealthy: {string.Join(" | ", healthy)}\nRedis down: {string.Join(" | ", degraded)}\nRedis back: {string.Join(" | ", recovered)}";
            Console.WriteLine($"Redis outage: writes {writer.Summary()}, {results.Count(r => r.At > stoppedAt && r.At < restartedAt)} while Redis was down; health:" + health);

            Assert.True(caughtUp.All(c => c.LastSeq >= midOutage), $"live delivery should go on while Redis is down (head {midOutage}): {string.Join(", ", caughtUp)}");
            var duringOutage = results.Where(r => r.At > stoppedAt && r.At < restartedAt).ToList();
            Assert.True(keptWriting && duringOutage.All(r => r.Ok),
                $"writes do not need Redis ({duringOutage.Count} answered while it was down; {writer.Summary()}):\n{string.Join("\n", duringOutage.Where(r => !r.Ok).Take(10))}");
            Assert.True(results.All(r => r.Ok), $"every write should succeed: {writer.Summary()}\n{string.Join("\n", results.Where(r => !r.Ok).Take(10))}");
            Assert.All(healthy, h => Assert.True(h.Status == 200 && !h.Body.Contains("Degraded", StringComparison.OrdinalIgnoreCase), "before: " + health));
            Assert.All(degraded, h => Assert.True(h.Status == 200 && h.Body.Contains("Degraded", StringComparison.OrdinalIgnoreCase),
                "with Redis down a node still serves (change-log path) and says it is degraded: " + health));
            Assert.All(recovered, h => Assert.True(h.Status == 200 && !h.Body.Contains("Degraded", StringComparison.OrdinalIgnoreCase), "after Redis is back: " + health));
            await Delivery.AssertExactlyOnceAsync(cluster, clients, baseline, head, TimeSpan.FromSeconds(30), $"; writes: {writer.Summary()}");
        }
        finally
        {
            foreach (var c in clients) await c.DisposeAsync();
            if (cluster.Redis is { Running: false } redis) await redis.StartAsync();
        }
    }

    [Fact]
    public async Task ClientsThatConnectedDuringARedisOutageGetTheLeadersNoticesOnceRedisIsBackAndEachNoticeOnlyOnce()
    {
        if (cluster.SkipReason is { } skip)
        {
            Console.WriteLine("SKIPPED: " + skip);
            return;
        }
        var leaders = new List<string>();
        foreach (var node in cluster.Nodes)
        {
            var health = await HealthProbe.ReadyAsync(node);
            using var doc = JsonDocument.Parse(health.Body);
            if (doc.RootElement.GetProperty("leader").GetBoolean()) leaders.Add(node.Name);
        }
        Assert.True(leaders.Count == 1, "exactly one node should lead: " + string.Join(", ", leaders));
        var leader = cluster.Nodes.Single(n => n.Name == leaders[0]);
        var follower = cluster.Nodes.Single(n => n != leader);

        cluster.Redis!.Stop();
        try
        {
            foreach (var node in cluster.Nodes)
            {
                var deadline = DateTime.UtcNow.AddSeconds(20);
                while ((await HealthProbe.ReadyAsync(node)).Body.Contains("Degraded", StringComparison.Ordinal) is false && DateTime.UtcNow < deadline) await Task.Delay(200);
            }
            var baseline = await cluster.HeadSeqAsync();
            var view = new LiveView(["incidents"]);
            var clients = new List<ResilientLiveClient>
            {
                await cluster.ConnectLiveAsync("joined during the outage @follower", [follower.BaseAddress], view, baseline),
                await cluster.ConnectLiveAsync("joined during the outage @leader", [leader.BaseAddress], view, baseline),
            };
            try
            {
                await cluster.Redis.StartAsync();
                foreach (var node in cluster.Nodes)
                {
                    var answer = await HealthProbe.WaitReadyAsync(node, TimeSpan.FromSeconds(30));
                    var deadline = DateTime.UtcNow.AddSeconds(30);
                    while (answer.Body.Contains("Degraded", StringComparison.Ordinal) && DateTime.UtcNow < deadline)
                    {
                        await Task.Delay(250);
                        answer = await HealthProbe.ReadyAsync(node);
                    }
                    Assert.True(answer.Status == 200 && answer.Body.Contains("\"Healthy\"", StringComparison.Ordinal), "after Redis is back: " + answer);
                }
                var write = await new IncidentWriter([cluster.Client()], TimeSpan.Zero, seed: 42).WriteOnceAsync(cluster.Client());
                Assert.True(write.Ok, write.ToString());
                static bool Has(ResilientLiveClient c, string view, long version) =>
                    c.Notices.Any(n => n.Notice is HotspotsRecomputed h && h.View == view && h.IncidentsVersion >= version);
                var deadlineAll = DateTime.UtcNow.AddSeconds(30);
                while (!clients.All(c => Has(c, "density", write.Seq!.Value) && Has(c, "gistar", write.Seq!.Value)) && DateTime.UtcNow < deadlineAll) await Task.Delay(200);
                await Task.Delay(TimeSpan.FromSeconds(3)); // room for a duplicate
                foreach (var c in clients)
                {
                    var notices = c.Notices.Select(n => n.Notice).OfType<HotspotsRecomputed>().ToList();
                    Assert.True(Has(c, "density", write.Seq!.Value) && Has(c, "gistar", write.Seq!.Value),
                        $"{c.Label} should receive the leader's HotspotsRecomputed (density and gistar, incidents version >= {write.Seq}) through the backplane: [{string.Join("; ", notices)}]");
                    // one notice per view and window (24 h, 7 d) and incidents version
                    var twice = notices.GroupBy(h => (h.View, h.Window, h.IncidentsVersion)).Where(g => g.Count() > 1).Select(g => $"{g.Key}×{g.Count()}").ToList();
                    Assert.True(twice.Count == 0, $"{c.Label} received the same notice more than once: {string.Join(", ", twice)}");
                    Assert.Contains(write.Seq!.Value, c.Events.Select(e => e.Seq));
                }
            }
            finally
            {
                foreach (var c in clients) await c.DisposeAsync();
            }
        }
        finally
        {
            if (!cluster.Redis.Running) await cluster.Redis.StartAsync();
        }
    }
}
