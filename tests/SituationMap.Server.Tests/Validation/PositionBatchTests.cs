using System.Net;
using System.Text.Json.Nodes;
using SituationMap.Testing;
using static SituationMap.Testing.Api;

namespace SituationMap.Server.Tests.Validation;

/// <summary>POST /api/patrol-units/positions: the batch limit (≤ 10,000 reports, all or nothing) and X-Change-Seq.</summary>
public sealed class PositionBatchTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private readonly HttpClient _client = server.CreateClient();

    private static JsonObject Batch(long unitId, int count, DateTimeOffset newest) => new()
    {
        ["positions"] = new JsonArray(Enumerable.Range(0, count).Select(i => (JsonNode)new JsonObject
        {
            ["unit_id"] = unitId,
            ["recorded_at"] = Iso(newest.AddMilliseconds(-(count - 1 - i) * 100)),
            ["longitude"] = 114.72 + i * 0.000001,
            ["latitude"] = 40.72,
        }).ToArray()),
    };

    private async Task<long> UnitAsync() => (await _client.CreateAsync("patrol-units",
        Feature(Point(114.72, 40.72), new JsonObject { ["call_sign"] = "PB-" + Guid.NewGuid().ToString("N")[..6], ["level"] = 2, ["mode"] = "vehicle" }))).Id();

    [Fact]
    public async Task TenThousandReportsAreAcceptedAndOneMoreIsRefusedWritingNothing()
    {
        var unit = await UnitAsync();
        var now = DateTimeOffset.UtcNow.AddMinutes(-5);
        var head = await server.Database.ScalarAsync("SELECT seq FROM change_log_head");

        var tooMany = await _client.PostAsync("/api/patrol-units/positions", Body(Batch(unit, 10_001, now), "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, tooMany.StatusCode);
        Assert.Equal("application/problem+json", tooMany.Content.Headers.ContentType!.MediaType);
        Assert.Equal(["/positions: has 10001 reports; at most 10000 per request."], Errors(await tooMany.JsonAsync()));
        Assert.Equal(0, await server.Database.ScalarAsync($"SELECT count(*) FROM unit_positions WHERE unit_id = {unit}"));
        Assert.Equal(head, await server.Database.ScalarAsync("SELECT seq FROM change_log_head"));

        var limit = await _client.PostAsync("/api/patrol-units/positions", Body(Batch(unit, 10_000, now), "application/json"));
        var result = await limit.JsonAsync();
        Assert.True(limit.StatusCode == HttpStatusCode.OK, result.ToString());
        Assert.Equal(10_000, result.GetProperty("accepted").GetInt32());
        Assert.Equal(1, result.GetProperty("units_moved").GetInt32());
        Assert.Equal(10_000, await server.Database.ScalarAsync($"SELECT count(*) FROM unit_positions WHERE unit_id = {unit}"));
        // the unit moved once: one live event, whose number the response names
        var seq = limit.ChangeSeq();
        Assert.Equal(seq, result.GetProperty("change_seq").GetInt64());
        Assert.Equal(1, await server.Database.ScalarAsync($"SELECT count(*) FROM change_log WHERE seq = {seq} AND layer = 'patrol_units' AND feature_id = {unit}"));
    }

    [Fact]
    public async Task ABatchThatMovesNoUnitNamesNoChangeSeq()
    {
        var unit = await UnitAsync();
        var now = DateTimeOffset.UtcNow.AddMinutes(-1);
        var first = await _client.PostAsync("/api/patrol-units/positions", Body(Batch(unit, 1, now), "application/json"));
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.True(first.ChangeSeq() > 0);

        // only an older report: it extends the track but moves nobody, so the transaction logs no change. Another
        // writer's change committed meanwhile must not be reported as this request's
        await server.Database.ExecuteAsync(
            "INSERT INTO incidents (category, severity, status, occurred_at, reported_at, geom, source) " +
            "VALUES ('other', 1, 'reported', now(), now(), ST_SetSRID(ST_MakePoint(114.72, 40.72), 4326), 'other-writer')");
        var older = await _client.PostAsync("/api/patrol-units/positions", Body(Batch(unit, 1, now.AddMinutes(-10)), "application/json"));
        var result = await older.JsonAsync();
        Assert.Equal(HttpStatusCode.OK, older.StatusCode);
        Assert.Equal(0, result.GetProperty("units_moved").GetInt32());
        Assert.False(older.Headers.Contains("X-Change-Seq"), "a write that logged nothing names no sequence number");
        Assert.True(!result.TryGetProperty("change_seq", out var changeSeq) || changeSeq.ValueKind == System.Text.Json.JsonValueKind.Null, result.ToString());
        Assert.Equal(2, await server.Database.ScalarAsync($"SELECT count(*) FROM unit_positions WHERE unit_id = {unit}"));
    }
}
