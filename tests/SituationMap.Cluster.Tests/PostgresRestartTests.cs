using SituationMap.Testing;

namespace SituationMap.Cluster.Tests;

public sealed class PostgresRestartTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    [Fact]
    public async Task WhilePostgresRestartsWritesAnswer503WithRetryAfterAndAfterwardsEverythingCommittedIsDeliveredExactlyOnce()
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
            await cluster.ConnectLiveAsync("nginx west", cluster.ViaNginx, view with { Bbox = [ClusterFixture.West - 0.01, ClusterFixture.Lat - 0.01, ClusterFixture.West + 0.01, ClusterFixture.Lat + 0.01], MarginRatio = 0 }, baseline),
        };
        try
        {
            foreach (var node in cluster.Nodes)
            {
                var ready = await HealthProbe.ReadyAsync(node);
                Assert.True(ready.Status == 200, $"/health/ready before the restart: {ready}");
            }
            var writer = new IncidentWriter([cluster.Client()], TimeSpan.FromMilliseconds(50), seed: 31);
            using var stop = new CancellationTokenSource();
            var writing = writer.RunAsync(stop.Token);
            Assert.True(await writer.WaitAcceptedAsync(15, DateTime.UtcNow, TimeSpan.FromSeconds(30)), "writes before the restart: " + writer.Summary());

            await using var probe = new HealthProbe(cluster.Nodes, TimeSpan.FromMilliseconds(300));
            await cluster.Postgres.StopAsync();
            var stoppedAt = DateTime.UtcNow;
            await Task.Delay(TimeSpan.FromSeconds(6));
            var restartAt = DateTime.UtcNow;
            await cluster.Postgres.StartAsync();
            var startedAt = DateTime.UtcNow;
            var readyAgain = new List<HealthAnswer>();
            foreach (var node in cluster.Nodes) readyAgain.Add(await HealthProbe.WaitReadyAsync(node, TimeSpan.FromSeconds(30)));
            var readyAt = DateTime.UtcNow;
            await writer.WaitAcceptedAsync(15, readyAt, TimeSpan.FromSeconds(30));
            await stop.CancelAsync();
            await writing;
            await probe.DisposeAsync();
            var head = await cluster.HeadSeqAsync();
            var results = writer.Results;
            Console.WriteLine($"PostgreSQL restart: writes {writer.Summary()}; down {stoppedAt:HH:mm:ss.fff}, started {startedAt:HH:mm:ss.fff}, both ready {readyAt:HH:mm:ss.fff}; " +
                $"/health/ready during the outage: {string.Join(", ", probe.Answers.Where(a => a.At > stoppedAt && a.At < startedAt).GroupBy(a => a.Status).Select(g => $"{g.Key}×{g.Count()}"))}; " +
                $"writes answered during the outage: {string.Join(", ", results.Where(r => r.At > stoppedAt && r.At < startedAt).GroupBy(r => r.Status).Select(g => $"{g.Key}×{g.Count()} (slowest {g.Max(r => r.Took.TotalMilliseconds):F0} ms)"))}");

            // the outage was seen: the nodes said they were not ready, and writes were refused properly
            var outage = probe.Answers.Where(a => a.At > stoppedAt.AddSeconds(1) && a.At < restartAt).ToList();
            foreach (var node in cluster.Nodes)
            {
                var answers = outage.Where(a => a.Node == node.Name).ToList();
                Assert.True(answers.Count > 0 && answers.All(a => a.Status == 503),
                    $"{node.Name}'s /health/ready while PostgreSQL was down should be 503:\n{string.Join("\n", answers)}");
            }
            Assert.True(readyAgain.All(a => a.Status == 200), "/health/ready should return to 200 by itself after PostgreSQL is back:\n" + string.Join("\n", readyAgain));
            var duringOutage = results.Where(r => r.At > stoppedAt.AddSeconds(0.5) && r.At < restartAt).ToList();
            Assert.True(duringOutage.Count >= 1, $"the writer should have tried during the outage: {writer.Summary()}");
            Assert.True(duringOutage.All(r => !r.Ok), "no write can succeed while the database is down:\n" + string.Join("\n", duringOutage.Where(r => r.Ok)));
            var badAnswers = results.Where(r => !r.Ok && !(r.Status == 503 && r.RetryAfter is not null && r.MediaType == "application/problem+json")).ToList();
            Assert.True(badAnswers.Count == 0, $"writes refused during the outage should be 503 problem+json with Retry-After ({writer.Summary()}):\n{string.Join("\n", badAnswers.Take(10))}");
            var afterwards = results.Where(r => r.At > readyAt).ToList();
            Assert.True(afterwards.Count > 10 && afterwards.All(r => r.Ok), $"writes should succeed once ready ({writer.Summary()}):\n{string.Join("\n", afterwards.Where(r => !r.Ok).Take(10))}");

            // every 2xx is in the database, and in the change log as that feature's creation
            var accepted = writer.Accepted;
            var ids = string.Join(",", accepted.Select(a => a.Id));
            Assert.Equal(accepted.Count, await cluster.ScalarAsync($"SELECT count(*) FROM incidents WHERE id IN ({ids})"));
            var rows = (await cluster.ChangeLogAsync(baseline, head)).ToDictionary(r => r.Seq);
            // and a refused write wrote nothing: the incidents created since the baseline are exactly the accepted ones
            var createdIds = rows.Values.Where(r => r.Layer == "incidents" && r.Kind == "created").Select(r => r.FeatureId).ToHashSet();
            var extra = createdIds.Except(accepted.Select(a => a.Id!.Value)).ToList();
            Assert.True(extra.Count == 0 && createdIds.Count == accepted.Count,
                $"incidents {string.Join(", ", extra)} were committed although their writes were not answered 2xx ({writer.Summary()})");
            Assert.All(accepted, w => Assert.True(w.Seq is { } s && rows.TryGetValue(s, out var row) && row.FeatureId == w.Id && row.Kind == "created",
                $"accepted write {w} is not in the change log"));
            await Delivery.AssertExactlyOnceAsync(cluster, clients, baseline, head, TimeSpan.FromSeconds(40),
                $"; writes: {writer.Summary()}; PostgreSQL down {stoppedAt:HH:mm:ss.fff}–{startedAt:HH:mm:ss.fff}, ready {readyAt:HH:mm:ss.fff}");
        }
        finally
        {
            foreach (var c in clients) await c.DisposeAsync();
        }
    }

    [Fact]
    public async Task ClientsThatSubscribeWithSinceWhilePostgresIsDownGetWhatTheyMissedOnceItIsBack()
    {
        if (cluster.SkipReason is { } skip)
        {
            Console.WriteLine("SKIPPED: " + skip);
            return;
        }
        var baseline = await cluster.HeadSeqAsync();
        var view = new LiveView(["incidents"]);
        var writer = new IncidentWriter([cluster.Client()], TimeSpan.Zero, seed: 32);
        var steady = await cluster.ConnectLiveAsync("connected before @node1", cluster.Via(1), view, baseline);
        ResilientLiveClient? late = null;
        try
        {
            for (var i = 0; i < 3; i++) Assert.True((await writer.WriteOnceAsync(cluster.Client())).Ok, writer.Summary());
            var missed = await cluster.HeadSeqAsync();
            Assert.True(await steady.WaitForSeqAsync(missed, TimeSpan.FromSeconds(20)), "the first writes should arrive");

            await cluster.Postgres.StopAsync();
            // one client subscribes again on its open connection (a viewport change) while the database is down;
            // another tries to connect (refused with 503 until the database is back: the token cannot be checked)
            await steady.ResubscribeAsync();
            var joining = cluster.ConnectLiveAsync("joined during the outage @node2", cluster.Via(2), view, baseline);
            await Task.Delay(TimeSpan.FromSeconds(4));
            await cluster.Postgres.StartAsync();
            late = await joining;
            foreach (var node in cluster.Nodes) Assert.Equal(200, (await HealthProbe.WaitReadyAsync(node, TimeSpan.FromSeconds(30))).Status);
            for (var i = 0; i < 5;)
            {
                if ((await writer.WriteOnceAsync(cluster.Client())).Ok) i++;
                else await Task.Delay(300);
            }
            var head = await cluster.HeadSeqAsync();
            Console.WriteLine($"resubscribed during the outage: {string.Join(" | ", steady.History)}\njoined during the outage: {string.Join(" | ", late.History.TakeLast(3))}");
            await Delivery.AssertExactlyOnceAsync(cluster, [steady, late], baseline, head, TimeSpan.FromSeconds(30), $"; writes: {writer.Summary()}");
        }
        finally
        {
            await steady.DisposeAsync();
            if (late is not null) await late.DisposeAsync();
            if (!await cluster.Postgres.IsRunningAsync()) await cluster.Postgres.StartAsync();
        }
    }
}
