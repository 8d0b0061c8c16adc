namespace SituationMap.Cluster.Tests;

public sealed class RedisOutageTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
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
}
