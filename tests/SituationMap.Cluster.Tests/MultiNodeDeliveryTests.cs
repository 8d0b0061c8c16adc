using System.Net;
using SituationMap.Server.Accounts;
using SituationMap.Testing;
using static SituationMap.Cluster.Tests.ClusterFixture;

namespace SituationMap.Cluster.Tests;

public sealed class MultiNodeDeliveryTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    [Fact]
    public async Task EveryChangeMadeThroughEitherNodeReachesEveryClientWhoseViewOrDistrictHoldsItExactlyOnceInOrder()
    {
        if (cluster.SkipReason is { } skip)
        {
            Console.WriteLine("SKIPPED: " + skip);
            return;
        }
        var saToken = await cluster.CreateAccountAsync("sa-dispatcher", [Roles.Dispatcher], ["SA"]);
        var sbToken = await cluster.CreateAccountAsync("sb-viewer", [Roles.Viewer], ["SB"]);
        var baseline = await cluster.HeadSeqAsync();

        var everything = new LiveView(["incidents"]);
        var westCorner = new LiveView(["incidents"], [West, Lat, West + 0.008, Lat + 0.008]);           // the north-east of SA
        var eastStrip = new LiveView(["incidents"], [East - 0.004, Lat - 0.009, East + 0.002, Lat + 0.009], MarginRatio: 0.1);
        var unitsOnly = new LiveView(["patrol_units"]);
        var clients = new List<ResilientLiveClient>
        {
            await cluster.ConnectLiveAsync("all@node1", cluster.Via(1), everything, baseline),
            await cluster.ConnectLiveAsync("all@node2", cluster.Via(2), everything, baseline),
            await cluster.ConnectLiveAsync("all@nginx", cluster.ViaNginx, everything, baseline),
            await cluster.ConnectLiveAsync("west-corner@node1", cluster.Via(1), westCorner, baseline),
            await cluster.ConnectLiveAsync("east-strip@node2", cluster.Via(2), eastStrip, baseline),
            await cluster.ConnectLiveAsync("east-strip@nginx", cluster.ViaNginx, eastStrip, baseline),
            await cluster.ConnectLiveAsync("units-only@nginx", cluster.ViaNginx, unitsOnly, baseline),
            await cluster.ConnectLiveAsync("SA@node1", cluster.Via(1), everything with { Districts = ["SA"] }, baseline, saToken),
            await cluster.ConnectLiveAsync("SA@nginx", cluster.ViaNginx, everything with { Districts = ["SA"] }, baseline, saToken),
            await cluster.ConnectLiveAsync("SA-west-corner@node2", cluster.Via(2), westCorner with { Districts = ["SA"] }, baseline, saToken),
            await cluster.ConnectLiveAsync("SB@node2", cluster.Via(2), everything with { Districts = ["SB"] }, baseline, sbToken),
            await cluster.ConnectLiveAsync("SB@node1", cluster.Via(1), everything with { Districts = ["SB"] }, baseline, sbToken),
        };
        try
        {
            var viaNode = new[] { cluster.Client(cluster.Node(1)), cluster.Client(cluster.Node(2)) };
            var writers = viaNode.Select((c, i) => new IncidentWriter([c], TimeSpan.FromMilliseconds(20), seed: 11 + i)).ToArray();
            await Task.WhenAll(writers.Select(async w =>
            {
                for (var i = 0; i < 25; i++) await w.WriteOnceAsync(w == writers[0] ? viaNode[0] : viaNode[1]);
            }));
            var writes = writers.SelectMany(w => w.Results).ToList();
            Assert.True(writes.All(w => w.Status == 201), "every create should succeed: " + string.Join("\n", writes.Where(w => w.Status != 201)));

            // updates (some moving between the districts) and deletions, alternating between the nodes
            var created = writes.OrderBy(w => w.Seq).ToList();
            var answers = new List<(string What, HttpStatusCode Status)>();
            for (var i = 0; i < 12; i++)
            {
                var id = created[i].Id!.Value;
                var client = viaNode[i % 2];
                var feature = (await (await client.GetAsync($"/api/incidents/{id}")).JsonAsync()).ToNode().With("version", 1);
                var lon = feature["geometry"]!["coordinates"]![0]!.GetValue<double>();
                var moveTo = i < 4 ? (lon < (West + East) / 2 ? lon + (East - West) : lon - (East - West)) : lon + 0.001; // 4 change district
                feature["geometry"] = Api.Point(moveTo, Lat + 0.002);
                answers.Add(($"move {id}", (await client.PutAsync($"/api/incidents/{id}", feature)).StatusCode));
            }
            for (var i = 12; i < 18; i++)
            {
                var id = created[i].Id!.Value;
                answers.Add(($"delete {id}", (await viaNode[i % 2].DeleteAsync($"/api/incidents/{id}")).StatusCode));
            }
            Assert.True(answers.All(a => a.Status is HttpStatusCode.OK or HttpStatusCode.NoContent), string.Join(", ", answers));
            var head = await cluster.HeadSeqAsync();
            var rows = await cluster.ChangeLogAsync(baseline, head);
            Assert.Equal(50 + 12 + 6, rows.Count(r => r.Layer == "incidents"));
            Assert.All(created, w => Assert.Contains(rows, r => r.Seq == w.Seq && r.FeatureId == w.Id && r.Kind == "created"));

            await Delivery.AssertExactlyOnceAsync(cluster, clients, baseline, head, TimeSpan.FromSeconds(30));
            // the views differ, so the check above is not vacuous
            Assert.True(clients.Select(c => c.Events.Count).Distinct().Count() >= 4, string.Join(", ", clients.Select(c => $"{c.Label}: {c.Events.Count}")));
            Assert.Empty(clients.Single(c => c.Label == "units-only@nginx").Events);
            // each node says who it is: in the X-SituationMap-Node header of its answers and in SubscriptionAccepted.node
            Assert.All(writers[0].Results, w => Assert.Equal("node1", w.Node));
            Assert.All(writers[1].Results, w => Assert.Equal("node2", w.Node));
            foreach (var c in clients)
            {
                var expectedNode = cluster.Nodes.FirstOrDefault(n => n.BaseAddress == c.Endpoint)?.Name;
                Assert.True(c.Nodes.Count == 1 && (expectedNode is null ? c.Nodes[0] is "node1" or "node2" : c.Nodes[0] == expectedNode),
                    $"{c.Label} (connected to {c.Endpoint}) was accepted by [{string.Join(", ", c.Nodes)}]");
            }
        }
        finally
        {
            foreach (var c in clients) await c.DisposeAsync();
        }
    }
}
