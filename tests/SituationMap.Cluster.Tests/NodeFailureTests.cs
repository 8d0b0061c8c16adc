using SituationMap.Testing;

namespace SituationMap.Cluster.Tests;

public sealed class NodeFailureTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    [Fact]
    public async Task WhenANodeIsKilledMidStreamItsClientsResumeOnTheOtherNodeAndEveryAcceptedWriteArrivesExactlyOnce()
    {
        if (cluster.SkipReason is { } skip)
        {
            Console.WriteLine("SKIPPED: " + skip);
            return;
        }
        var baseline = await cluster.HeadSeqAsync();
        var view = new LiveView(["incidents"]);
        var west = new LiveView(["incidents"], [ClusterFixture.West - 0.01, ClusterFixture.Lat - 0.01, ClusterFixture.West + 0.01, ClusterFixture.Lat + 0.01], MarginRatio: 0);
        var clients = new List<ResilientLiveClient>();
        for (var i = 0; i < 3; i++) clients.Add(await cluster.ConnectLiveAsync($"node1-then-nginx #{i}", cluster.Via(1), i == 2 ? west : view, baseline));
        for (var i = 0; i < 3; i++) clients.Add(await cluster.ConnectLiveAsync($"node2-then-nginx #{i}", cluster.Via(2), i == 2 ? west : view, baseline));
        for (var i = 0; i < 2; i++) clients.Add(await cluster.ConnectLiveAsync($"nginx #{i}", cluster.ViaNginx, view, baseline));
        try
        {
            var writer = new IncidentWriter([cluster.Client()], TimeSpan.FromMilliseconds(25), seed: 21);
            using var stop = new CancellationTokenSource();
            var writing = writer.RunAsync(stop.Token);
            var started = DateTime.UtcNow;
            Assert.True(await writer.WaitAcceptedAsync(15, started, TimeSpan.FromSeconds(30)), "writes before the kill: " + writer.Summary());
            var beforeKill = writer.Accepted.Count;
            var direct1 = clients.Where(c => c.Endpoint == cluster.Node(1).BaseAddress).Select(c => (Client: c, c.Connections)).ToList();
            var direct2 = clients.Where(c => c.Endpoint == cluster.Node(2).BaseAddress).Select(c => (Client: c, c.Connections)).ToList();
            cluster.KillNode(1);
            var killedAt = DateTime.UtcNow;
            var keptWriting = await writer.WaitAcceptedAsync(20, killedAt, TimeSpan.FromSeconds(30));
            var duringOutage = writer.Results.Where(r => r.At > killedAt).ToList();
            await cluster.StartNodeAsync(1);   // back in the pool: nginx sends it new work after fail_timeout
            await writer.WaitAcceptedAsync(10, DateTime.UtcNow, TimeSpan.FromSeconds(30));
            await stop.CancelAsync();
            await writing;
            var head = await cluster.HeadSeqAsync();

            var accepted = writer.Accepted;
            Console.WriteLine($"node kill: writes {writer.Summary()}; {beforeKill} accepted before the kill; " +
                string.Join(", ", clients.Select(c => $"{c.Label} {c.Events.Count} events, {c.Connections} connection(s) [{string.Join(">", c.Nodes)}]")));
            Assert.True(keptWriting,
                $"the writer kept going through nginx ({beforeKill} accepted before the kill, {duringOutage.Count(r => r.Ok)} after): {writer.Summary()}");
            var failures = writer.Results.Where(r => !r.Ok).ToList();
            Assert.True(failures.Count <= 5, $"nginx should hide the dead node from most writes ({writer.Summary()}):\n{string.Join("\n", failures.Take(10))}");
            var rows = await cluster.ChangeLogAsync(baseline, head);
            var logged = rows.ToDictionary(r => r.Seq);
            Assert.All(accepted, w => Assert.True(w.Seq is { } s && logged.TryGetValue(s, out var row) && row.FeatureId == w.Id && row.Kind == "created",
                $"accepted write {w} is not in the change log"));
            await Delivery.AssertExactlyOnceAsync(cluster, clients, baseline, head, TimeSpan.FromSeconds(40), $"; writes: {writer.Summary()}");
            Assert.True(direct1.Count >= 2, "clients should have been connected straight to node 1: " + string.Join(", ", clients.Select(c => $"{c.Label} → {c.Endpoint}")));
            Assert.All(direct1, c => Assert.True(c.Client.Connections > c.Connections && c.Client.Endpoint != cluster.Node(1).BaseAddress,
                $"{c.Client.Label} should have moved off node 1 when it died:\n{string.Join("\n", c.Client.History)}"));
            Assert.All(direct1, c => Assert.True(c.Client.Nodes.Count >= 2 && c.Client.Nodes[0] == "node1" && c.Client.Nodes[^1] == "node2",
                $"{c.Client.Label} should have been accepted by node1, then (through nginx) by node2: [{string.Join(", ", c.Client.Nodes)}]"));
            Assert.All(direct2, c => Assert.True(c.Client.Connections == c.Connections,
                $"{c.Client.Label}, on node 2, should have kept its connection:\n{string.Join("\n", c.Client.History)}"));
        }
        finally
        {
            foreach (var c in clients) await c.DisposeAsync();
            if (!cluster.Node(1).Running) await cluster.StartNodeAsync(1);
        }
    }

    [Fact]
    public async Task WhenTheLeaderIsKilledTheOtherNodeTakesOverWithinSecondsAndTheRestartedNodeFollows()
    {
        if (cluster.SkipReason is { } skip)
        {
            Console.WriteLine("SKIPPED: " + skip);
            return;
        }
        async Task<List<string>> LeadersAsync()
        {
            var leaders = new List<string>();
            foreach (var node in cluster.Nodes.Where(n => n.Running))
            {
                var answer = await HealthProbe.ReadyAsync(node);
                if (answer.Status != 200) continue;
                using var doc = System.Text.Json.JsonDocument.Parse(answer.Body);
                if (doc.RootElement.GetProperty("leader").GetBoolean()) leaders.Add(node.Name);
            }
            return leaders;
        }
        async Task<List<string>> WaitOneLeaderAsync(TimeSpan timeout)
        {
            var deadline = DateTime.UtcNow + timeout;
            var leaders = await LeadersAsync();
            while (leaders.Count != 1 && DateTime.UtcNow < deadline)
            {
                await Task.Delay(200);
                leaders = await LeadersAsync();
            }
            return leaders;
        }

        var before = await WaitOneLeaderAsync(TimeSpan.FromSeconds(15));
        Assert.True(before.Count == 1, "exactly one node should lead: [" + string.Join(", ", before) + "]");
        var leader = cluster.Nodes.Single(n => n.Name == before[0]);
        var number = cluster.Nodes.ToList().IndexOf(leader) + 1;
        try
        {
            leader.Kill();
            var killedAt = DateTime.UtcNow;
            var after = await WaitOneLeaderAsync(TimeSpan.FromSeconds(20));
            var took = DateTime.UtcNow - killedAt;
            Console.WriteLine($"leader {leader.Name} killed; [{string.Join(", ", after)}] leads after {took.TotalSeconds:F1} s");
            Assert.True(after.Count == 1 && after[0] != leader.Name, $"the surviving node should take the lead within 20 s (the lock is released when the session ends): [{string.Join(", ", after)}]");
            Assert.True(took < TimeSpan.FromSeconds(15), $"taking over took {took.TotalSeconds:F1} s");

            await cluster.StartNodeAsync(number);
            await HealthProbe.WaitReadyAsync(leader, TimeSpan.FromSeconds(30));
            await Task.Delay(TimeSpan.FromSeconds(3)); // a few leader checks
            var restarted = await LeadersAsync();
            Assert.True(restarted.Count == 1 && restarted[0] == after[0], $"the restarted node should follow, one leader in all: [{string.Join(", ", restarted)}]");
        }
        finally
        {
            if (!leader.Running) await cluster.StartNodeAsync(number);
        }
    }
}
