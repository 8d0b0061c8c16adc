using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.SignalR.Client;
using NetTopologySuite.IO.VectorTiles.Mapbox;
using SituationMap.Server.Accounts;
using SituationMap.Server.Live;
using SituationMap.Server.Tests.Tiles;
using SituationMap.Testing;
using static SituationMap.Testing.Api;

namespace SituationMap.Server.Tests.Security;

/// <summary>Two districts side by side (west SA, east SB) and a commander scoped to the west one.</summary>
public sealed class ScopedServer : ServerFixture
{
    public const double West = 118.00, East = 118.02, Lat = 41.00;

    public string ScopedToken { get; private set; } = "";

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var client = CreateClient();
        await client.CreateAsync("districts", Feature(Square(West, Lat, 0.0099), new JsonObject { ["code"] = "SA", ["name"] = "西区", ["name_en"] = "West" }));
        await client.CreateAsync("districts", Feature(Square(East, Lat, 0.0099), new JsonObject { ["code"] = "SB", ["name"] = "东区", ["name_en"] = "East" }));
        ScopedToken = await CreateTokenAsync("scoped-commander", [Roles.Commander], ["SA"]);
    }
}

public sealed class DistrictScopeTests(ScopedServer server) : IClassFixture<ScopedServer>
{
    private readonly HttpClient _all = server.CreateClient();
    private readonly HttpClient _scoped = server.CreateClient(server.ScopedToken);
    private const double West = ScopedServer.West, East = ScopedServer.East, Lat = ScopedServer.Lat;

    [Fact]
    public async Task AScopedAccountSeesOnlyItsDistrictAndOtherFeaturesDoNotExistForIt()
    {
        var mine = await _all.CreateAsync("incidents", Incident(West, Lat));
        var theirs = await _all.CreateAsync("incidents", Incident(East, Lat));
        var list = await (await _scoped.GetAsync($"/api/incidents?bbox={West - 0.05},{Lat - 0.05},{East + 0.05},{Lat + 0.05}")).JsonAsync();
        var ids = list.GetProperty("features").EnumerateArray().Select(f => f.Id()).ToList();
        Assert.Contains(mine.Id(), ids);
        Assert.DoesNotContain(theirs.Id(), ids);
        Assert.All(list.GetProperty("features").EnumerateArray(), f => Assert.Equal("SA", f.GetProperty("properties").GetProperty("district").GetString()));
        Assert.Equal(HttpStatusCode.NotFound, (await _scoped.GetAsync($"/api/incidents/{theirs.Id()}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _scoped.GetAsync($"/api/incidents/{theirs.Id()}/history")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _scoped.DeleteAsync($"/api/incidents/{theirs.Id()}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _scoped.GetAsync($"/api/incidents/{mine.Id()}")).StatusCode);
    }

    [Fact]
    public async Task AScopedAccountCannotPutAFeatureOutsideItsDistricts()
    {
        var head = await server.Database.ScalarAsync("SELECT seq FROM change_log_head");
        var outside = await _scoped.PostAsync("/api/incidents", Body(Incident(East, Lat)));
        Assert.Equal(HttpStatusCode.Forbidden, outside.StatusCode);
        var detail = (await outside.JsonAsync()).GetProperty("detail").GetString();
        Assert.Contains("outside your districts (SA)", detail);
        Assert.DoesNotContain("SB", detail); // the district of the point is not told
        Assert.Equal(head, await server.Database.ScalarAsync("SELECT seq FROM change_log_head"));

        var mine = await _scoped.CreateAsync("incidents", Incident(West, Lat));
        var moved = mine.ToNode().With("version", 1);
        moved["geometry"] = Point(East, Lat);
        Assert.Equal(HttpStatusCode.Forbidden, (await _scoped.PutAsync($"/api/incidents/{mine.Id()}", moved)).StatusCode);
        Assert.Equal(1, (await (await _scoped.GetAsync($"/api/incidents/{mine.Id()}")).JsonAsync()).Version());
    }

    [Fact]
    public async Task UpsertingByExternalIdAnIncidentOfAnotherDistrictAnswersNotFoundAndChangesNothing()
    {
        var theirs = await _all.PutAsync("/api/incidents/external/cad/EXT-42", Body(Incident(East, Lat)));
        Assert.Equal(HttpStatusCode.Created, theirs.StatusCode);
        var head = await server.Database.ScalarAsync("SELECT seq FROM change_log_head");
        var attempt = await _scoped.PutAsync("/api/incidents/external/cad/EXT-42", Body(Incident(West, Lat)));
        Assert.Equal(HttpStatusCode.NotFound, attempt.StatusCode);
        var problem = await attempt.JsonAsync();
        Assert.EndsWith("/not-found", problem.GetProperty("type").GetString());
        Assert.DoesNotContain("SB", problem.GetRawText());
        Assert.DoesNotContain("district", problem.GetRawText(), StringComparison.OrdinalIgnoreCase);
        // the same answer as for an external id that does not exist at all
        var missing = await _scoped.GetAsync($"/api/incidents/{(await theirs.JsonAsync()).Id()}");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(head, await server.Database.ScalarAsync("SELECT seq FROM change_log_head"));
        Assert.Equal("SB", (await (await _all.GetAsync($"/api/incidents/{(await theirs.JsonAsync()).Id()}")).JsonAsync()).GetProperty("properties").GetProperty("district").GetString());
    }

    [Fact]
    public async Task TilesLeaveOutOtherDistrictsEvenInClusterCounts()
    {
        for (var i = 0; i < 3; i++) await _all.CreateAsync("incidents", Incident(West + 0.005 + i * 0.0001, Lat + 0.005));
        for (var i = 0; i < 4; i++) await _all.CreateAsync("incidents", Incident(East - 0.005 - i * 0.0001, Lat + 0.005));
        var (x, y) = TilesTests.TileOf((West + East) / 2, Lat, 11);
        int Count(byte[] bytes)
        {
            using var stream = new MemoryStream(bytes);
            var tile = new MapboxTileReader().Read(stream, new NetTopologySuite.IO.VectorTiles.Tiles.Tile(x, y, 11));
            return tile.Layers.SelectMany(l => l.Features).Sum(f => Convert.ToInt32(f.Attributes["point_count"], System.Globalization.CultureInfo.InvariantCulture));
        }
        var all = Count(await _all.GetByteArrayAsync($"/tiles/incidents/11/{x}/{y}.mvt"));
        var scoped = Count(await _scoped.GetByteArrayAsync($"/tiles/incidents/11/{x}/{y}.mvt"));
        var inSa = (int)await server.Database.ScalarAsync("SELECT count(*) FROM incidents WHERE district = 'SA'");
        Assert.Equal(inSa, scoped);
        Assert.True(all >= scoped + 4, $"all {all}, scoped {scoped}");
    }

    [Fact]
    public async Task TheLiveHubNeverTellsAScopedClientAboutAnotherDistrict()
    {
        await using var scopedHub = await server.ConnectHubAsync(token: server.ScopedToken);
        var scoped = new LiveRecorder(scopedHub);
        await scopedHub.InvokeAsync<SubscriptionAccepted>("Subscribe", new LiveSubscription(null, ["incidents"], null, null));
        await using var allHub = await server.ConnectHubAsync();
        var all = new LiveRecorder(allHub);
        await allHub.InvokeAsync<SubscriptionAccepted>("Subscribe", new LiveSubscription(null, ["incidents"], null, null));

        var theirs = await _all.CreateAsync("incidents", Incident(East, Lat));
        var mine = await _all.CreateAsync("incidents", Incident(West, Lat));
        var leaving = mine.ToNode().With("version", 1);
        leaving["geometry"] = Point(East, Lat);
        var move = await _all.PutAsync($"/api/incidents/{mine.Id()}", leaving);
        Assert.Equal(HttpStatusCode.OK, move.StatusCode);
        await all.WaitUntilAsync(e => e.LastSeq >= move.ChangeSeq(), "the unscoped client to see everything");
        await scoped.WaitUntilAsync(e => e.Events.Any(x => x.Change.Id == mine.Id() && x.Name == "IncidentDeleted"), "the scoped client to see it leave");

        Assert.DoesNotContain(scoped.Events, e => e.Change.Id == theirs.Id());
        Assert.Equal(["IncidentCreated", "IncidentDeleted"], scoped.Events.Where(e => e.Change.Id == mine.Id()).Select(e => e.Name));
        Assert.Null(scoped.Events.Single(e => e.Name == "IncidentDeleted").Change.Feature);
        Assert.Equal("IncidentUpdated", all.Events.Single(e => e.Change.Seq == move.ChangeSeq()).Name);

        // a replay after reconnecting is filtered the same way
        await using var again = await server.ConnectHubAsync(token: server.ScopedToken);
        var replay = new LiveRecorder(again);
        await again.InvokeAsync<SubscriptionAccepted>("Subscribe", new LiveSubscription(null, ["incidents"], move.ChangeSeq() - 3, null));
        await replay.WaitUntilAsync(e => e.Events.Any(x => x.Change.Seq == move.ChangeSeq()), "the replayed removal");
        Assert.DoesNotContain(replay.Events, e => e.Change.Id == theirs.Id());
    }

    [Fact]
    public async Task CountersAndExportsCoverOnlyTheAccountsDistricts()
    {
        await _all.CreateAsync("incidents", Incident(West, Lat, severity: 4));
        await _all.CreateAsync("incidents", Incident(East, Lat, severity: 4));
        var summary = await (await _scoped.GetAsync("/api/situation/summary")).JsonAsync();
        var openInSa = await server.Database.ScalarAsync("SELECT count(*) FROM incidents WHERE district = 'SA' AND status IN ('reported','dispatched','on_scene')");
        Assert.Equal(openInSa, summary.GetProperty("incidents").GetProperty("open").GetProperty("total").GetInt32());

        var csv = await _scoped.GetStringAsync("/api/incidents/export.csv");
        var rows = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).ToList();
        Assert.Equal(await server.Database.ScalarAsync("SELECT count(*) FROM incidents WHERE district = 'SA'"), rows.Count);
        Assert.All(rows, r => Assert.Contains(",SA,", r));
    }

    [Fact]
    public async Task UnitsOfOtherDistrictsCannotBeReportedOn()
    {
        var unit = await _all.CreateAsync("patrol-units", Feature(Point(East, Lat), new JsonObject { ["call_sign"] = "SB-99", ["level"] = 2, ["mode"] = "vehicle", ["district"] = "SB" }));
        var body = new JsonObject { ["positions"] = new JsonArray(new JsonObject { ["unit_id"] = unit.Id(), ["recorded_at"] = Iso(DateTimeOffset.UtcNow), ["longitude"] = East, ["latitude"] = Lat }) };
        var response = await _scoped.PostAsync("/api/patrol-units/positions", Body(body, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(Errors(await response.JsonAsync()), e => e.Contains("there is no patrol unit", StringComparison.Ordinal));
    }
}
