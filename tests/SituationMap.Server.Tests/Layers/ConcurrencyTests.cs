using System.Net;
using SituationMap.Testing;
using static SituationMap.Testing.Api;

namespace SituationMap.Server.Tests.Layers;

public sealed class ConcurrencyTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private readonly HttpClient _client = server.CreateClient();

    [Fact]
    public async Task OfTwoWritersEditingTheSameVersionOneWinsAndTheOtherGets409()
    {
        for (var trial = 0; trial < 10; trial++)
        {
            var created = await _client.CreateAsync("incidents", Incident());
            var url = $"/api/incidents/{created.Id()}";
            var headBefore = await server.Database.ScalarAsync("SELECT seq FROM change_log_head");
            var results = await Task.WhenAll(
                server.CreateClient().PutAsync(url, created.ToNode().With("severity", 1).With("version", 1)),
                server.CreateClient().PutAsync(url, created.ToNode().With("severity", 4).With("version", 1)));
            var codes = results.Select(r => r.StatusCode).Order().ToArray();
            Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], codes);

            var winner = await results.Single(r => r.StatusCode == HttpStatusCode.OK).JsonAsync();
            var stored = await (await _client.GetAsync(url)).JsonAsync();
            Assert.Equal(2, stored.Version());
            Assert.Equal(winner.GetProperty("properties").GetProperty("severity").GetInt32(), stored.GetProperty("properties").GetProperty("severity").GetInt32());
            Assert.Equal(headBefore + 1, await server.Database.ScalarAsync("SELECT seq FROM change_log_head"));
        }
    }

    [Fact]
    public async Task ConcurrentCreatesAllLandWithDenseSequenceNumbersInTheChangeLog()
    {
        var headBefore = await server.Database.ScalarAsync("SELECT seq FROM change_log_head");
        var responses = await Task.WhenAll(Enumerable.Range(0, 40).Select(i =>
            server.CreateClient().PostAsync("/api/incidents", Body(Incident(114.7 + i * 0.0001, 40.6)))));
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        var seqs = responses.Select(r => r.ChangeSeq()).Order().ToList();
        Assert.Equal(Enumerable.Range((int)headBefore + 1, 40).Select(i => (long)i), seqs);
        Assert.Equal(40, await server.Database.ScalarAsync($"SELECT count(*) FROM change_log WHERE seq > {headBefore} AND kind = 'created'"));
    }

    [Fact]
    public async Task ARolledBackWriteLeavesNoGapInTheSequence()
    {
        var headBefore = await server.Database.ScalarAsync("SELECT seq FROM change_log_head");
        await server.Database.ExecuteAsync(
            "DO $$ BEGIN INSERT INTO incidents (category, severity, status, occurred_at, reported_at, geom, source) " +
            "VALUES ('other', 1, 'reported', now(), now(), ST_SetSRID(ST_MakePoint(114.9, 40.8), 4326), 'sql'); " +
            "RAISE EXCEPTION 'abort'; EXCEPTION WHEN raise_exception THEN NULL; END $$");
        Assert.Equal(headBefore, await server.Database.ScalarAsync("SELECT seq FROM change_log_head"));
        var next = await _client.PostAsync("/api/incidents", Body(Incident()));
        Assert.Equal(headBefore + 1, next.ChangeSeq());
    }
}
