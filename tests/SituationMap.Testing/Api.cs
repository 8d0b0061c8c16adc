using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SituationMap.Testing;

/// <summary>Request builders and response readers for the tests; JSON is written by hand, as a client would.</summary>
public static class Api
{
    /// <summary>Somewhere in the demo city (Zhangjiakou area, UTM 50N).</summary>
    public const double Lon = 114.90;
    public const double Lat = 40.80;

    public static JsonObject Point(double lon = Lon, double lat = Lat) =>
        new() { ["type"] = "Point", ["coordinates"] = new JsonArray(lon, lat) };

    /// <summary>An axis-aligned square polygon of the given half-size in degrees.</summary>
    public static JsonObject Square(double lon = Lon, double lat = Lat, double half = 0.002) => new()
    {
        ["type"] = "Polygon",
        ["coordinates"] = new JsonArray(new JsonArray(
            new JsonArray(lon - half, lat - half), new JsonArray(lon + half, lat - half), new JsonArray(lon + half, lat + half),
            new JsonArray(lon - half, lat + half), new JsonArray(lon - half, lat - half))),
    };

    public static JsonObject Line(params (double Lon, double Lat)[] points) => new()
    {
        ["type"] = "LineString",
        ["coordinates"] = new JsonArray(points.Select(p => (JsonNode)new JsonArray(p.Lon, p.Lat)).ToArray()),
    };

    public static JsonObject Feature(JsonNode? geometry, JsonObject properties) =>
        new() { ["type"] = "Feature", ["geometry"] = geometry, ["properties"] = properties };

    public static string Iso(DateTimeOffset t) => t.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public static JsonObject IncidentProperties(string category = "violent", int severity = 3, DateTimeOffset? occurredAt = null) => new()
    {
        ["category"] = category,
        ["severity"] = severity,
        ["occurred_at"] = Iso(occurredAt ?? DateTimeOffset.UtcNow.AddMinutes(-10)),
        ["address"] = "Test road near No. 1",
        ["description"] = "test incident",
    };

    public static JsonObject Incident(double lon = Lon, double lat = Lat, string category = "violent", int severity = 3, DateTimeOffset? occurredAt = null) =>
        Feature(Point(lon, lat), IncidentProperties(category, severity, occurredAt));

    public static JsonObject Camera(double lon = Lon, double lat = Lat, double heading = 90, double fov = 60, double range = 80, string kind = "fixed") =>
        Feature(Point(lon, lat), new JsonObject
        {
            ["name"] = "CAM-T " + Guid.NewGuid().ToString("N")[..6],
            ["kind"] = kind,
            ["heading_deg"] = heading,
            ["field_of_view_deg"] = fov,
            ["range_m"] = range,
            ["mounting_height_m"] = 6,
        });

    public static JsonObject Zone(string kind = "school", double lon = Lon, double lat = Lat, double half = 0.002) =>
        Feature(Square(lon, lat, half), new JsonObject { ["name"] = "Zone " + kind, ["kind"] = kind, ["risk_level"] = 2 });

    public static StringContent Body(JsonNode node, string contentType = "application/geo+json") =>
        new(node.ToJsonString(), Encoding.UTF8, contentType);

    public static StringContent Raw(string json, string contentType = "application/json") => new(json, Encoding.UTF8, contentType);

    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        using var doc = JsonDocument.Parse(text.Length == 0 ? "null" : text);
        return doc.RootElement.Clone();
    }

    /// <summary>POSTs a feature and returns its JSON, failing with the server's problem text when it is not 201.</summary>
    public static async Task<JsonElement> CreateAsync(this HttpClient client, string route, JsonObject feature)
    {
        var response = await client.PostAsync($"/api/{route}", Body(feature));
        var json = await response.JsonAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"POST /api/{route}: {(int)response.StatusCode} {json}");
        return json;
    }

    public static async Task<HttpResponseMessage> PutAsync(this HttpClient client, string url, JsonNode body, string? ifMatch = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, url) { Content = Body(body) };
        if (ifMatch is not null) request.Headers.IfMatch.Add(new EntityTagHeaderValue(ifMatch));
        return await client.SendAsync(request);
    }

    public static long Id(this JsonElement feature) => feature.GetProperty("id").GetInt64();

    public static int Version(this JsonElement feature) => feature.GetProperty("properties").GetProperty("version").GetInt32();

    public static long ChangeSeq(this HttpResponseMessage response) =>
        long.Parse(response.Headers.GetValues("X-Change-Seq").Single(), CultureInfo.InvariantCulture);

    /// <summary>The problem's errors as "pointer: message" lines, for assertions and readable failures.</summary>
    public static IReadOnlyList<string> Errors(JsonElement problem) =>
        problem.TryGetProperty("errors", out var errors)
            ? errors.EnumerateObject().SelectMany(e => e.Value.EnumerateArray().Select(m => $"{e.Name}: {m.GetString()}")).ToList()
            : [];

    /// <summary>Fresh JSON node copy of a feature's properties with one value replaced.</summary>
    public static JsonObject With(this JsonObject feature, string property, JsonNode? value)
    {
        var copy = (JsonObject)feature.DeepClone();
        ((JsonObject)copy["properties"]!)[property] = value;
        return copy;
    }

    public static JsonObject ToNode(this JsonElement e) => JsonNode.Parse(e.GetRawText())!.AsObject();
}
