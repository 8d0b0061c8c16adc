using System.Net;
using System.Text.Json.Nodes;
using SituationMap.Testing;
using static SituationMap.Testing.Api;

namespace SituationMap.Server.Tests.Layers;

public sealed class IncidentsApiTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private readonly HttpClient _client = server.CreateClient();

    [Fact]
    public async Task CreatedIncidentReadsBackAsAGeoJsonFeatureWithItsVersionAsETag()
    {
        var created = await _client.CreateAsync("incidents", Incident(114.901, 40.801, "robbery", 4));
        Assert.Equal("Feature", created.GetProperty("type").GetString());
        Assert.Equal(1, created.Version());

        var response = await _client.GetAsync($"/api/incidents/{created.Id()}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/geo+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("\"1\"", response.Headers.ETag!.Tag);
        var feature = await response.JsonAsync();
        var coordinates = feature.GetProperty("geometry").GetProperty("coordinates");
        Assert.Equal(114.901, coordinates[0].GetDouble(), 9);
        Assert.Equal(40.801, coordinates[1].GetDouble(), 9);
        var p = feature.GetProperty("properties");
        Assert.Equal("robbery", p.GetProperty("category").GetString());
        Assert.Equal(4, p.GetProperty("severity").GetInt32());
        Assert.Equal("reported", p.GetProperty("status").GetString());
        Assert.Equal("api", p.GetProperty("source").GetString());
    }

    [Fact]
    public async Task UnknownIdIsA404Problem()
    {
        var response = await _client.GetAsync("/api/incidents/987654321");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains("987654321", (await response.JsonAsync()).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task ListFiltersByBboxTimeWindowCategorySeverityAndStatus()
    {
        // a private corner of the map so other tests' incidents do not interfere
        const double lon = 115.30, lat = 41.10;
        var old = DateTimeOffset.UtcNow.AddDays(-3);
        await _client.CreateAsync("incidents", Incident(lon, lat, "fraud", 1, old));
        await _client.CreateAsync("incidents", Incident(lon + 0.001, lat, "fraud", 2));
        await _client.CreateAsync("incidents", Incident(lon + 0.002, lat, "traffic", 3));
        await _client.CreateAsync("incidents", Incident(lon + 0.5, lat, "fraud", 2)); // outside the bbox
        var bbox = $"bbox={lon - 0.01},{lat - 0.01},{lon + 0.01},{lat + 0.01}";

        Assert.Equal(3, await CountAsync($"/api/incidents?{bbox}"));
        Assert.Equal(2, await CountAsync($"/api/incidents?{bbox}&category=fraud"));
        Assert.Equal(2, await CountAsync($"/api/incidents?{bbox}&severity=2,3"));
        Assert.Equal(2, await CountAsync($"/api/incidents?{bbox}&from={Iso(DateTimeOffset.UtcNow.AddDays(-1))}"));
        Assert.Equal(1, await CountAsync($"/api/incidents?{bbox}&to={Iso(DateTimeOffset.UtcNow.AddDays(-1))}"));
        Assert.Equal(3, await CountAsync($"/api/incidents?{bbox}&status=reported"));
        Assert.Equal(0, await CountAsync($"/api/incidents?{bbox}&status=closed"));
    }

    [Fact]
    public async Task ListPagesThroughEveryFeatureOnceByFollowingNextLinks()
    {
        const double lon = 115.20, lat = 41.20;
        var ids = new HashSet<long>();
        for (var i = 0; i < 7; i++) ids.Add((await _client.CreateAsync("incidents", Incident(lon + i * 0.0001, lat))).Id());

        var seen = new List<long>();
        string? url = $"/api/incidents?bbox={lon - 0.01},{lat - 0.01},{lon + 0.01},{lat + 0.01}&limit=3";
        var pages = 0;
        while (url is not null)
        {
            var page = await (await _client.GetAsync(url)).JsonAsync();
            pages++;
            Assert.True(page.GetProperty("number_returned").GetInt32() <= 3);
            seen.AddRange(page.GetProperty("features").EnumerateArray().Select(f => f.Id()));
            url = page.GetProperty("links").EnumerateArray()
                .Where(l => l.GetProperty("rel").GetString() == "next")
                .Select(l => l.GetProperty("href").GetString())
                .FirstOrDefault();
        }
        Assert.Equal(3, pages);
        Assert.Equal(ids.Order(), seen);
    }

    [Fact]
    public async Task ListCarriesTheChangeSeqOfItsSnapshot()
    {
        var create = await _client.PostAsync("/api/incidents", Body(Incident(115.1, 41.3)));
        var seqOfCreate = create.ChangeSeq();
        var page = await (await _client.GetAsync("/api/incidents?limit=1")).JsonAsync();
        Assert.True(page.GetProperty("change_seq").GetInt64() >= seqOfCreate);
    }

    [Fact]
    public async Task DistrictIsTakenFromTheLocationAndAGivenOneOnlyCountsOutsideEveryDistrict()
    {
        await _client.CreateAsync("districts", Feature(Square(115.40, 41.40, 0.05), new JsonObject { ["code"] = "TST", ["name"] = "测试区", ["name_en"] = "Test District" }));
        var inside = await _client.CreateAsync("incidents", Incident(115.41, 41.41));
        var outside = await _client.CreateAsync("incidents", Incident(115.60, 41.41));
        Assert.Equal("TST", inside.GetProperty("properties").GetProperty("district").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, outside.GetProperty("properties").GetProperty("district").ValueKind);

        var stale = await _client.CreateAsync("incidents", Incident(115.41, 41.41).With("district", "ELSEWHERE"));
        Assert.Equal("TST", stale.GetProperty("properties").GetProperty("district").GetString());
        var unknown = await _client.PostAsync("/api/incidents", Body(Incident(115.60, 41.41).With("district", "NOPE")));
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains(Errors(await unknown.JsonAsync()), e => e.StartsWith("/properties/district: ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ReplaceWithTheCurrentVersionSucceedsAndBumpsTheVersion()
    {
        var created = await _client.CreateAsync("incidents", Incident());
        var edit = created.ToNode().With("severity", 1).With("version", 1);
        var response = await _client.PutAsync($"/api/incidents/{created.Id()}", edit);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var updated = await response.JsonAsync();
        Assert.Equal(2, updated.Version());
        Assert.Equal(1, updated.GetProperty("properties").GetProperty("severity").GetInt32());
        Assert.Equal("\"2\"", response.Headers.ETag!.Tag);
    }

    [Fact]
    public async Task ReplaceWithAStaleVersionIs409WithTheCurrentFeatureAndWritesNothing()
    {
        var created = await _client.CreateAsync("incidents", Incident());
        var first = await _client.PutAsync($"/api/incidents/{created.Id()}", created.ToNode().With("severity", 2).With("version", 1));
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var headBefore = await server.Database.ScalarAsync("SELECT seq FROM change_log_head");

        var stale = await _client.PutAsync($"/api/incidents/{created.Id()}", created.ToNode().With("severity", 4).With("version", 1));
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        var problem = await stale.JsonAsync();
        Assert.Equal(2, problem.GetProperty("current_version").GetInt32());
        Assert.Equal(2, problem.GetProperty("current").GetProperty("properties").GetProperty("severity").GetInt32());
        Assert.Equal(headBefore, await server.Database.ScalarAsync("SELECT seq FROM change_log_head"));
        Assert.Equal(2, await server.Database.ScalarAsync($"SELECT severity FROM incidents WHERE id = {created.Id()}"));
    }

    [Fact]
    public async Task ReplaceWithAStaleIfMatchIs412AndWithoutAnyVersionIs428()
    {
        var created = await _client.CreateAsync("incidents", Incident());
        var body = created.ToNode().With("severity", 2);
        ((JsonObject)body["properties"]!).Remove("version");

        var stale = await _client.PutAsync($"/api/incidents/{created.Id()}", body, ifMatch: "\"7\"");
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        var missing = await _client.PutAsync($"/api/incidents/{created.Id()}", body);
        Assert.Equal((HttpStatusCode)428, missing.StatusCode);
        var fresh = await _client.PutAsync($"/api/incidents/{created.Id()}", body, ifMatch: "\"1\"");
        Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
    }

    [Fact]
    public async Task StatusWorkflowMovesForwardAndRefusesIllegalTransitionsWith409()
    {
        var id = (await _client.CreateAsync("incidents", Incident())).Id();
        foreach (var (status, version) in new[] { ("dispatched", 1), ("on_scene", 2), ("resolved", 3), ("closed", 4) })
        {
            var ok = await _client.PostAsync($"/api/incidents/{id}/status", Raw($"{{\"status\":\"{status}\",\"version\":{version}}}"));
            Assert.True(ok.StatusCode == HttpStatusCode.OK, $"{status}: {await ok.Content.ReadAsStringAsync()}");
        }
        // a refused transition writes nothing: no row change (status, version) and no change-log entry
        var headBefore = await server.Database.ScalarAsync("SELECT seq FROM change_log_head");
        var reopen = await _client.PostAsync($"/api/incidents/{id}/status", Raw("{\"status\":\"reported\",\"version\":5}"));
        Assert.Equal(HttpStatusCode.Conflict, reopen.StatusCode);
        var problem = await reopen.JsonAsync();
        Assert.Equal("closed", problem.GetProperty("current_status").GetString());
        Assert.Equal(0, problem.GetProperty("allowed").GetArrayLength());
        Assert.Equal(headBefore, await server.Database.ScalarAsync("SELECT seq FROM change_log_head"));
        Assert.Equal(5, await server.Database.ScalarAsync($"SELECT version FROM incidents WHERE id = {id} AND status = 'closed'"));

        var other = await _client.CreateAsync("incidents", Incident());
        headBefore = await server.Database.ScalarAsync("SELECT seq FROM change_log_head");
        var skip = await _client.PutAsync($"/api/incidents/{other.Id()}", other.ToNode().With("status", "closed").With("version", 1));
        Assert.Equal(HttpStatusCode.Conflict, skip.StatusCode);
        Assert.Contains("dispatched", (await skip.JsonAsync()).GetProperty("allowed").GetRawText());
        Assert.Equal(headBefore, await server.Database.ScalarAsync("SELECT seq FROM change_log_head"));
        Assert.Equal(1, await server.Database.ScalarAsync($"SELECT version FROM incidents WHERE id = {other.Id()} AND status = 'reported'"));
    }

    [Fact]
    public async Task DeleteRemovesTheIncidentAndAStaleIfMatchKeepsIt()
    {
        var id = (await _client.CreateAsync("incidents", Incident())).Id();
        using (var stale = new HttpRequestMessage(HttpMethod.Delete, $"/api/incidents/{id}"))
        {
            stale.Headers.IfMatch.Add(new System.Net.Http.Headers.EntityTagHeaderValue("\"9\""));
            Assert.Equal(HttpStatusCode.PreconditionFailed, (await _client.SendAsync(stale)).StatusCode);
        }
        var deleted = await _client.DeleteAsync($"/api/incidents/{id}");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.True(deleted.ChangeSeq() > 0);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync($"/api/incidents/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.DeleteAsync($"/api/incidents/{id}")).StatusCode);
    }

    [Fact]
    public async Task IngestByExternalIdCreatesOnceThenUpdatesInPlace()
    {
        var url = "/api/incidents/external/cad/CAD-2026-000123";
        var first = await _client.PutAsync(url, Incident(114.95, 40.75, "dispute", 2));
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var again = await _client.PutAsync(url, Incident(114.95, 40.75, "dispute", 3));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var feature = await again.JsonAsync();
        Assert.Equal((await first.JsonAsync()).Id(), feature.Id());
        Assert.Equal(3, feature.GetProperty("properties").GetProperty("severity").GetInt32());
        Assert.Equal("cad", feature.GetProperty("properties").GetProperty("source").GetString());
        Assert.Equal(1, await server.Database.ScalarAsync("SELECT count(*) FROM incidents WHERE source = 'cad' AND external_id = 'CAD-2026-000123'"));
    }

    [Fact]
    public async Task EveryWriteAnswersWithTheSequenceNumberOfItsChangeLogRow()
    {
        var create = await _client.PostAsync("/api/incidents", Body(Incident()));
        var seq = create.ChangeSeq();
        var id = (await create.JsonAsync()).Id();
        Assert.Equal($"incidents/created/{id}", await RowAsync(seq));

        var status = await _client.PostAsync($"/api/incidents/{id}/status", Raw("{\"status\":\"dispatched\",\"version\":1}"));
        Assert.Equal($"incidents/updated/{id}", await RowAsync(status.ChangeSeq()));
        var delete = await _client.DeleteAsync($"/api/incidents/{id}");
        Assert.Equal($"incidents/deleted/{id}", await RowAsync(delete.ChangeSeq()));
    }

    private async Task<string> RowAsync(long seq)
    {
        await using var cmd = server.Database.DataSource.CreateCommand($"SELECT layer || '/' || kind || '/' || feature_id FROM change_log WHERE seq = {seq}");
        return (string)(await cmd.ExecuteScalarAsync())!;
    }

    private async Task<int> CountAsync(string url)
    {
        var response = await _client.GetAsync(url);
        var json = await response.JsonAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {json}");
        return json.GetProperty("number_returned").GetInt32();
    }
}
