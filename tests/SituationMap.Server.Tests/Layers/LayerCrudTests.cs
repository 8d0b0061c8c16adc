using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using SituationMap.Testing;
using static SituationMap.Testing.Api;

namespace SituationMap.Server.Tests.Layers;

/// <summary>
/// The same CRUD contract, sent to every layer: create → GET → PUT with If-Match and with properties.version →
/// stale PUTs (412 / 409 with the current version, 428 without one) and a stale DELETE, each writing nothing (row
/// version and change-log head unchanged) → history → DELETE → 404 after; and a geometry of the wrong type → 400.
/// </summary>
public sealed class LayerCrudTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private readonly HttpClient _client = server.CreateClient();

    /// <summary>How to make one layer's features: a valid feature, the property an edit changes, a wrong geometry.</summary>
    public sealed record LayerCase(string Route, string Table, Func<JsonObject> Valid, string EditedProperty, Func<JsonObject> WrongGeometry)
    {
        public override string ToString() => Route;
    }

    private static string Unique(string prefix) => prefix + Guid.NewGuid().ToString("N")[..8];

    private static readonly Dictionary<string, LayerCase> Cases = new[]
    {
        new LayerCase("incidents", "incidents", () => Incident(114.61, 40.61), "description", () => Square(114.61, 40.61)),
        new LayerCase("cameras", "cameras", () => Camera(114.62, 40.62), "name", () => Line((114.62, 40.62), (114.63, 40.62))),
        new LayerCase("patrol-routes", "patrol_routes",
            () => Feature(Line((114.63, 40.63), (114.64, 40.63)), new JsonObject { ["name"] = Unique("route-"), ["level"] = 2, ["mode"] = "vehicle" }),
            "name", () => Point(114.63, 40.63)),
        new LayerCase("patrol-units", "patrol_units",
            () => Feature(Point(114.64, 40.64), new JsonObject { ["call_sign"] = Unique("U-"), ["level"] = 3, ["mode"] = "foot" }),
            "call_sign", () => Square(114.64, 40.64)),
        new LayerCase("zones", "zones", () => Zone("school", 114.65, 40.65), "name", () => Point(114.65, 40.65)),
        new LayerCase("districts", "districts",
            () => Feature(Square(114.30, 40.30, 0.01), new JsonObject { ["code"] = Unique("D"), ["name"] = "Test district" }),
            "name", () => Line((114.30, 40.30), (114.31, 40.31))),
    }.ToDictionary(c => c.Route);

    public static TheoryData<string> Layers => new(Cases.Keys);

    private Task<long> HeadAsync() => server.Database.ScalarAsync("SELECT seq FROM change_log_head");

    private Task<long> StoredVersionAsync(string table, long id) => server.Database.ScalarAsync($"SELECT version FROM {table} WHERE id = {id}");

    private async Task<HttpResponseMessage> DeleteAsync(string url, string? ifMatch)
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, url);
        if (ifMatch is not null) request.Headers.IfMatch.Add(new EntityTagHeaderValue(ifMatch));
        return await _client.SendAsync(request);
    }

    [Theory]
    [MemberData(nameof(Layers))]
    public async Task CreateReadReplaceRefuseStaleVersionsAndDelete(string route)
    {
        var layer = Cases[route];
        var created = await _client.PostAsync($"/api/{route}", Body(layer.Valid()));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var feature = await created.JsonAsync();
        var id = feature.Id();
        var url = $"/api/{route}/{id}";
        Assert.Equal(url, created.Headers.Location!.OriginalString);
        Assert.Equal("\"1\"", created.Headers.ETag!.Tag);
        var createdSeq = created.ChangeSeq();

        var read = await _client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal("\"1\"", read.Headers.ETag!.Tag);
        Assert.Equal(id, (await read.JsonAsync()).Id());

        // replace, naming the version by If-Match, then by properties.version
        var edited = feature.ToNode().With(layer.EditedProperty, Unique("edited-"));
        var byHeader = await _client.PutAsync(url, edited, ifMatch: "\"1\"");
        Assert.True(byHeader.StatusCode == HttpStatusCode.OK, await byHeader.Content.ReadAsStringAsync());
        Assert.Equal("\"2\"", byHeader.Headers.ETag!.Tag);
        var afterHeader = await byHeader.JsonAsync();
        Assert.Equal(edited["properties"]![layer.EditedProperty]!.GetValue<string>(), afterHeader.GetProperty("properties").GetProperty(layer.EditedProperty).GetString());
        Assert.True(byHeader.ChangeSeq() > createdSeq);

        var byBody = await _client.PutAsync(url, afterHeader.ToNode().With(layer.EditedProperty, Unique("again-")).With("version", 2));
        Assert.True(byBody.StatusCode == HttpStatusCode.OK, await byBody.Content.ReadAsStringAsync());
        Assert.Equal(3, (await byBody.JsonAsync()).Version());

        // stale versions: 412 (If-Match), 409 (body) with the current version and feature, 428 (none); nothing written
        var head = await HeadAsync();
        var staleHeader = await _client.PutAsync(url, edited, ifMatch: "\"1\"");
        Assert.Equal(HttpStatusCode.PreconditionFailed, staleHeader.StatusCode);
        Assert.Equal("application/problem+json", staleHeader.Content.Headers.ContentType!.MediaType);
        Assert.Equal(3, (await staleHeader.JsonAsync()).GetProperty("current_version").GetInt32());

        var staleBody = await _client.PutAsync(url, edited.With("version", 2));
        Assert.Equal(HttpStatusCode.Conflict, staleBody.StatusCode);
        var conflict = await staleBody.JsonAsync();
        Assert.Equal(3, conflict.GetProperty("current_version").GetInt32());
        Assert.Equal(3, conflict.GetProperty("current").Version());
        Assert.Equal(id, conflict.GetProperty("current").Id());

        var noVersion = (JsonObject)edited.DeepClone();
        ((JsonObject)noVersion["properties"]!).Remove("version");
        var unversioned = await _client.PutAsync(url, noVersion);
        Assert.Equal((HttpStatusCode)428, unversioned.StatusCode);
        Assert.Equal(3, (await unversioned.JsonAsync()).GetProperty("current_version").GetInt32());

        var staleDelete = await DeleteAsync(url, "\"2\"");
        Assert.Equal(HttpStatusCode.PreconditionFailed, staleDelete.StatusCode);
        Assert.Equal(3, (await staleDelete.JsonAsync()).GetProperty("current_version").GetInt32());

        Assert.Equal(head, await HeadAsync());
        Assert.Equal(3, await StoredVersionAsync(layer.Table, id));
        Assert.False(staleHeader.Headers.Contains("X-Change-Seq"));

        // history: the three changes, newest first
        var history = await (await _client.GetAsync(url + "/history")).JsonAsync();
        Assert.Equal(["updated", "updated", "created"], history.GetProperty("changes").EnumerateArray().Select(c => c.GetProperty("kind").GetString()));

        // delete with the current version, then it is gone for GET, PUT and DELETE
        var deleted = await DeleteAsync(url, "\"3\"");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        var deletedSeq = deleted.ChangeSeq();
        Assert.True(deletedSeq > head);
        Assert.Equal(1, await server.Database.ScalarAsync($"SELECT count(*) FROM change_log WHERE seq = {deletedSeq} AND kind = 'deleted' AND feature_id = {id}"));
        Assert.Equal(0, await server.Database.ScalarAsync($"SELECT count(*) FROM {layer.Table} WHERE id = {id}"));
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync(url)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.PutAsync(url, edited, ifMatch: "\"3\"")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await DeleteAsync(url, null)).StatusCode);
    }

    [Theory]
    [MemberData(nameof(Layers))]
    public async Task AGeometryOfTheWrongTypeIs400AndWritesNothing(string route)
    {
        var layer = Cases[route];
        var rows = await server.Database.ScalarAsync($"SELECT count(*) FROM {layer.Table}");
        var head = await HeadAsync();
        var wrong = layer.Valid();
        wrong["geometry"] = layer.WrongGeometry();
        var response = await _client.PostAsync($"/api/{route}", Body(wrong));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var errors = Errors(await response.JsonAsync());
        Assert.Contains($"/geometry/type: \"{wrong["geometry"]!["type"]!.GetValue<string>()}\" is not accepted here", Assert.Single(errors), StringComparison.Ordinal);

        // the same on a replacement of an existing feature
        var existing = await _client.CreateAsync(route, layer.Valid());
        var afterCreate = await HeadAsync();
        var replaced = existing.ToNode();
        replaced["geometry"] = layer.WrongGeometry();
        var put = await _client.PutAsync($"/api/{route}/{existing.Id()}", replaced, ifMatch: "\"1\"");
        Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
        Assert.StartsWith("/geometry/type: ", Assert.Single(Errors(await put.JsonAsync())), StringComparison.Ordinal);
        Assert.Equal(afterCreate, await HeadAsync());
        Assert.Equal(1, await StoredVersionAsync(layer.Table, existing.Id()));
        Assert.Equal(rows + 1, await server.Database.ScalarAsync($"SELECT count(*) FROM {layer.Table}"));
        Assert.Equal(1, await server.Database.ScalarAsync($"SELECT count(*) FROM change_log WHERE seq > {head} AND layer = '{layer.Table}'"));
    }
}
