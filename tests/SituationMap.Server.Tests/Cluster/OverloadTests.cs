using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.SignalR.Client;
using SituationMap.Server.Live;
using SituationMap.Testing;
using static SituationMap.Testing.Api;

namespace SituationMap.Server.Tests.Cluster;

/// <summary>A node that works on at most two state-changing requests at once and lets two wait.</summary>
public sealed class NarrowServer : ServerFixture
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Cluster:MaxConcurrentWrites"] = "2",
        ["Cluster:WriteQueue"] = "2",
    };
}

public sealed class OverloadTests(NarrowServer server) : IClassFixture<NarrowServer>
{
    [Fact]
    public async Task ABurstBeyondTheNodesCapacityIsPushedBackWith429AndEveryAcceptedPositionIsStoredAndDeliveredOnce()
    {
        var client = server.CreateClient();
        var unit = await client.CreateAsync("patrol-units", Feature(Point(), new JsonObject { ["call_sign"] = "BURST-1", ["level"] = 3, ["mode"] = "vehicle" }));
        await using var hub = await server.ConnectHubAsync();
        var events = new LiveRecorder(hub);
        var accepted = await hub.InvokeAsync<SubscriptionAccepted>("Subscribe", new LiveSubscription(null, ["patrol_units"], null, null));

        // 40 batches of 50 positions at once, from several HTTP connections
        var start = DateTimeOffset.UtcNow.AddMinutes(-10);
        var batches = Enumerable.Range(0, 40).Select(b => new JsonObject
        {
            ["positions"] = new JsonArray([.. Enumerable.Range(0, 50).Select(i => (JsonNode)new JsonObject
            {
                ["unit_id"] = unit.Id(),
                ["recorded_at"] = Iso(start.AddMilliseconds((b * 50) + i)),
                ["longitude"] = 114.9 + (((b * 50) + i) * 1e-6),
                ["latitude"] = 40.8,
            })]),
        }).ToList();
        var responses = await Task.WhenAll(batches.Select(batch => client.PostAsync("/api/patrol-units/positions", Body(batch, "application/json"))));

        var ok = responses.Where(r => r.IsSuccessStatusCode).ToList();
        var refused = responses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.True(ok.Count + refused.Count == responses.Length, "every answer is 2xx or 429: " + string.Join(", ", responses.Select(r => (int)r.StatusCode)));
        Assert.NotEmpty(ok);
        Assert.NotEmpty(refused); // 40 at once against 2 at work + 2 waiting
        Assert.All(refused, r => Assert.True(r.Headers.RetryAfter?.Delta > TimeSpan.Zero, "429 carries Retry-After"));
        foreach (var r in refused) Assert.Equal("application/problem+json", r.Content.Headers.ContentType!.MediaType);

        // every accepted position is stored; nothing refused is
        var stored = await server.Database.ScalarAsync($"SELECT count(*) FROM unit_positions WHERE unit_id = {unit.Id()}");
        Assert.Equal(ok.Count * 50, stored);

        // each accepted batch that moved the unit (not overtaken by a batch with newer positions) names its change,
        // which reaches the subscribed client exactly once, in order; one that moved nobody names no change
        var seqs = new List<long>();
        foreach (var r in ok)
        {
            var result = await r.JsonAsync();
            var moved = result.GetProperty("units_moved").GetInt32() == 1;
            Assert.Equal(moved, r.Headers.Contains("X-Change-Seq"));
            if (moved) seqs.Add(result.GetProperty("change_seq").GetInt64());
            else Assert.Equal(System.Text.Json.JsonValueKind.Null, result.GetProperty("change_seq").ValueKind);
        }
        Assert.NotEmpty(seqs);
        Assert.Equal(seqs.Count, seqs.Distinct().Count());
        await events.WaitUntilAsync(e => seqs.All(s => e.Events.Any(x => x.Change.Seq == s)), "the accepted batches' UnitMoved events");
        var received = events.Events.Where(x => x.Change.Seq > accepted.HeadSeq).Select(x => x.Change.Seq).ToList();
        Assert.Equal(received.Distinct().Count(), received.Count);
        Assert.Equal(received.Order(), received);
    }
}
