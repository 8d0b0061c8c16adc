using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using SituationMap.Server.Live;
using SituationMap.Testing;

namespace SituationMap.Server.Tests.Live;

/// <summary>A server whose per-connection buffer is small, so one stalled client overflows it quickly.</summary>
public sealed class SmallBufferServer : ServerFixture
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string> { ["Live:ConnectionBuffer"] = "300" };
}

public sealed class SlowClientTests(SmallBufferServer server) : IClassFixture<SmallBufferServer>
{
    [Fact]
    public async Task AStalledClientIsToldToResyncWhileOthersReceiveEverythingAndAfterResyncItMissesNothing()
    {
        await server.Database.ExecuteAsync(
            "INSERT INTO cameras (name, geom, kind, heading_deg, field_of_view_deg, range_m, mounting_height_m, status) " +
            "SELECT 'slow-' || i, ST_SetSRID(ST_MakePoint(114.9 + i * 0.0001, 40.8), 4326), 'ptz', 0, 360, 200, 8, 'online' FROM generate_series(1, 100) i");
        var start = await server.Database.ScalarAsync("SELECT seq FROM change_log_head");
        var everywhere = new LiveSubscription(null, ["cameras"], null, null);

        await using var fastHub = await server.ConnectHubAsync();
        var fast = new LiveRecorder(fastHub);
        await fastHub.InvokeAsync<SubscriptionAccepted>("Subscribe", everywhere);
        await using var slow = await RawHubClient.ConnectAsync(server.BaseAddress, server.Token);
        await slow.InvokeAsync("Subscribe", everywhere);
        Assert.Equal(3, (await slow.ReadAsync(TimeSpan.FromSeconds(10))).GetProperty("type").GetInt32()); // completion
        // from here on the slow client reads nothing until every change has been made

        // 40 rounds of 100 camera updates (~2.5 KB each): ~10 MB, far more than socket buffers hold for a stalled reader
        // (each round waits for the fast client, so on a busy machine it stays within its 300-event buffer: the point is
        // that only the stalled client falls behind)
        for (var round = 0; round < 40; round++)
        {
            await server.Database.ExecuteAsync("UPDATE cameras SET heading_deg = (heading_deg + 1)::int % 360 WHERE name LIKE 'slow-%'");
            var roundHead = await server.Database.ScalarAsync("SELECT seq FROM change_log_head");
            await fast.WaitUntilAsync(e => e.LastSeq >= roundHead, $"the fast client to receive round {round}", TimeSpan.FromSeconds(30));
        }
        var head = await server.Database.ScalarAsync("SELECT seq FROM change_log_head");
        await fast.WaitUntilAsync(e => e.LastSeq >= head, "the fast client to receive everything", TimeSpan.FromSeconds(60));
        Assert.Empty(fast.Resyncs);
        var expected = Enumerable.Range((int)start + 1, (int)(head - start)).Select(i => (long)i).ToList();
        Assert.Equal(expected, fast.Events.Select(e => e.Change.Seq));

        var received = new List<long>();
        var notice = await ReadUntilResyncAsync(slow, received);
        var resumeFrom = received.Count > 0 ? received[^1] : start;
        var client = slow;
        RawHubClient? reconnected = null;
        if (notice is { } n)
        {
            Assert.Equal("too_slow", n.GetProperty("reason").GetString());
            Assert.False(n.GetProperty("snapshot_required").GetBoolean());
            Assert.Equal(received[^1], n.GetProperty("last_delivered_seq").GetInt64());
        }
        else
        {
            // Kestrel may also end a connection whose reader stalls for long (its minimum response data rate) when
            // the machine is busy: the client then reconnects, which is the same catch-up path
            reconnected = client = await RawHubClient.ConnectAsync(server.BaseAddress, server.Token);
        }
        Assert.True(received.Count < expected.Count, "the stalled client cannot have received everything before the notice");

        await client.InvokeAsync("Subscribe", everywhere with { Since = resumeFrom });
        while (received.Count == 0 || received[^1] < head)
        {
            var message = await client.ReadAsync(TimeSpan.FromSeconds(30));
            if (IsChange(message)) received.Add(message.GetProperty("arguments")[0].GetProperty("seq").GetInt64());
        }
        Assert.Equal(expected, received);
        if (reconnected is not null) await reconnected.DisposeAsync();
    }

    /// <summary>Reads until ResyncRequired (returned) or until the server ends the connection (null).</summary>
    private static async Task<System.Text.Json.JsonElement?> ReadUntilResyncAsync(RawHubClient client, List<long> received)
    {
        while (true)
        {
            System.Text.Json.JsonElement message;
            try
            {
                message = await client.ReadAsync(TimeSpan.FromSeconds(30));
            }
            catch (System.Net.WebSockets.WebSocketException)
            {
                return null;
            }
            if (message.GetProperty("type").GetInt32() != 1) continue;
            var argument = message.GetProperty("arguments")[0];
            if (message.GetProperty("target").GetString() == nameof(ILiveClient.ResyncRequired)) return argument;
            if (IsChange(message)) received.Add(argument.GetProperty("seq").GetInt64());
        }
    }

    /// <summary>A change event (not a derived notice such as CoverageUpdated, which has no seq).</summary>
    private static bool IsChange(System.Text.Json.JsonElement message) =>
        message.GetProperty("type").GetInt32() == 1 && message.GetProperty("arguments")[0].TryGetProperty("seq", out _);
}

/// <summary>A server whose per-connection buffer holds only 16 events: any burst to a stalled client overflows it.</summary>
public sealed class TinyBufferServer : ServerFixture
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string> { ["Live:ConnectionBuffer"] = "16" };
}

/// <summary>
/// The resync path, deterministically: a raw client that does not read while one transaction produces ~18 MB of events
/// (far more than the socket buffers and SignalR's 64 KB transport buffer hold, so its delivery blocks) must overflow a
/// 16-event buffer, and when it reads again it must find ResyncRequired(too_slow) after what was delivered — no
/// alternative outcome is accepted. Subscribing again with since = the notice's last_delivered_seq then delivers the
/// rest exactly.
/// </summary>
public sealed class ResyncNoticeTests(TinyBufferServer server) : IClassFixture<TinyBufferServer>
{
    [Fact]
    public async Task AClientThatStopsReadingDuringABurstIsToldToResyncAndRecoversEverything()
    {
        const int rows = 4_000;
        await server.Database.ExecuteAsync(
            "INSERT INTO incidents (category, severity, status, occurred_at, reported_at, geom, source, description) " +
            $"SELECT 'other', 2, 'reported', now() - interval '1 hour', now() - interval '1 hour', ST_SetSRID(ST_MakePoint(114.9 + i * 0.00001, 40.8), 4326), 'resync-test', repeat('x', 4000) FROM generate_series(1, {rows}) i");
        var start = await server.Database.ScalarAsync("SELECT seq FROM change_log_head");
        var everywhere = new LiveSubscription(null, ["incidents"], null, null);
        var feed = server.Services.GetRequiredService<ChangeFeed>();
        await FeedReachesAsync(feed, start); // the inserts are not part of the burst

        await using var slow = await RawHubClient.ConnectAsync(server.BaseAddress, server.Token);
        await slow.InvokeAsync("Subscribe", everywhere);
        Assert.Equal(3, (await slow.ReadAsync(TimeSpan.FromSeconds(10))).GetProperty("type").GetInt32()); // completion

        // one transaction, 4,000 events of ~4.5 KB: offered to every connection as one burst
        await server.Database.ExecuteAsync("UPDATE incidents SET severity = 3 WHERE source = 'resync-test'");
        var head = await server.Database.ScalarAsync("SELECT seq FROM change_log_head");
        Assert.Equal(start + rows, head);
        // the feed has published (offered to every connection; offering never waits for one) all of it while the slow
        // client read nothing: its delivery blocked after at most a few MB, so more than 16 events waited for it
        await FeedReachesAsync(feed, head);

        var received = new List<long>();
        System.Text.Json.JsonElement? notice = null;
        while (notice is null)
        {
            var message = await slow.ReadAsync(TimeSpan.FromSeconds(30));
            if (message.GetProperty("type").GetInt32() != 1) continue;
            var argument = message.GetProperty("arguments")[0];
            if (message.GetProperty("target").GetString() == nameof(ILiveClient.ResyncRequired)) notice = argument;
            else if (argument.TryGetProperty("seq", out var seq)) received.Add(seq.GetInt64());
        }
        Assert.Equal("too_slow", notice.Value.GetProperty("reason").GetString());
        Assert.False(notice.Value.GetProperty("snapshot_required").GetBoolean());
        var lastDelivered = notice.Value.GetProperty("last_delivered_seq").GetInt64();
        Assert.Equal(received.Count > 0 ? received[^1] : start, lastDelivered);
        Assert.True(received.Count < rows, $"the stalled client received {received.Count} of {rows} events before the notice");
        Assert.Equal(Enumerable.Range((int)start + 1, received.Count).Select(i => (long)i), received);

        // subscribing again resumes after the notice's position: exactly the rest, in order
        await slow.InvokeAsync("Subscribe", everywhere with { Since = lastDelivered });
        while (received.Count == 0 || received[^1] < head)
        {
            var message = await slow.ReadAsync(TimeSpan.FromSeconds(30));
            if (message.GetProperty("type").GetInt32() != 1) continue;
            Assert.NotEqual(nameof(ILiveClient.ResyncRequired), message.GetProperty("target").GetString());
            if (message.GetProperty("arguments")[0].TryGetProperty("seq", out var seq)) received.Add(seq.GetInt64());
        }
        Assert.Equal(Enumerable.Range((int)start + 1, rows).Select(i => (long)i), received);
    }

    private static async Task FeedReachesAsync(ChangeFeed feed, long seq)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (feed.Position < seq)
        {
            Assert.True(DateTime.UtcNow < deadline, $"the change feed is at {feed.Position}, the log at {seq}");
            await Task.Delay(50);
        }
    }
}
