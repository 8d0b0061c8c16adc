using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SituationMap.Analysis.Geometry;
using SituationMap.Server.Accounts;
using SituationMap.Server.Tests.Security;
using SituationMap.Testing;
using static SituationMap.Testing.Api;

namespace SituationMap.Server.Tests.Interop;

/// <summary>POST /api/imports on the two-district server (west SA, east SB): CSV with Chinese offset coordinates, GeoJSON round trips, rejects, idempotency, scope.</summary>
public sealed class ImportTests(ScopedServer server) : IClassFixture<ScopedServer>
{
    private readonly HttpClient _client = server.CreateClient();
    private const double West = ScopedServer.West, East = ScopedServer.East, Lat = ScopedServer.Lat;

    private static MultipartFormDataContent Upload(object options, params (string Name, string Content)[] files)
    {
        var form = new MultipartFormDataContent { { new StringContent(JsonSerializer.Serialize(options)), "options" } };
        foreach (var (name, content) in files)
        {
            var part = new ByteArrayContent(Encoding.UTF8.GetBytes(content));
            part.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            form.Add(part, "file", name);
        }
        return form;
    }

    private async Task<JsonElement> ImportAsync(object options, params (string Name, string Content)[] files) => await ImportAsync(_client, options, files);

    private static async Task<JsonElement> ImportAsync(HttpClient client, object options, params (string Name, string Content)[] files)
    {
        var response = await client.PostAsync("/api/imports?wait=true", Upload(options, files));
        var body = await response.JsonAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {body}");
        return body;
    }

    private static string Gcj(double lon, double lat)
    {
        var (x, y) = ChineseOffsets.Wgs84ToGcj02(lon, lat);
        return string.Create(CultureInfo.InvariantCulture, $"{x:0.0000000},{y:0.0000000}");
    }

    /// <summary>A records-system export: GCJ-02 coordinates, local times, its own category names — and bad rows.</summary>
    private static string RecordsCsv(string tag) =>
        "case_no,type,level,time,lng,lat,place\n" +
        $"{tag}-1,THEFT,2,2026-03-01 08:30:00,{Gcj(West, Lat)},\"Market St, stall 3\"\n" +
        $"{tag}-2,ASSAULT,3,2026-03-01 09:00:00,{Gcj(East, Lat)},Station square\n" +
        $"{tag}-3,THEFT,2,2026-03-01 10:00:00,,,no coordinates\n" +
        $"{tag}-4,FRAUD,2,2026-13-01 10:00:00,{Gcj(West, Lat)},bad date\n" +
        $"{tag}-5,ALIENS,1,2026-03-01 11:00:00,{Gcj(West, Lat)},unknown type\n" +
        $"{tag}-6,THEFT,2,2026-03-01 12:00:00,{Gcj(West, Lat)}\n" +
        $"{tag}-7,THEFT,9,2026-03-01 12:00:00,{Gcj(West, Lat)},severity out of range\n";

    private static object RecordsOptions(string mode, bool dryRun = false, string source = "rms") => new Dictionary<string, object?>
    {
        ["layer"] = "incidents",
        ["crs"] = "GCJ-02",
        ["source"] = source,
        ["external_id"] = "case_no",
        ["mode"] = mode,
        ["dry_run"] = dryRun,
        ["fields"] = new Dictionary<string, object>
        {
            ["category"] = new { column = "type", values = new Dictionary<string, string> { ["THEFT"] = "property_theft", ["ASSAULT"] = "violent", ["FRAUD"] = "fraud" } },
            ["severity"] = new { column = "level" },
            ["occurred_at"] = new { column = "time", format = "yyyy-MM-dd HH:mm:ss", time_zone = "Asia/Shanghai" },
            ["address"] = new { column = "place" },
        },
    };

    private static Dictionary<long, string> RejectedFields(JsonElement status) =>
        status.GetProperty("result").GetProperty("rejects").EnumerateArray()
            .GroupBy(r => r.GetProperty("row").GetInt64())
            .ToDictionary(g => g.Key, g => string.Join("|", g.Select(r => r.GetProperty("field").GetString())));

    [Fact]
    public async Task ADryRunReportsEveryRejectedRowWithItsReasonAndWritesNothing()
    {
        var before = await server.Database.ScalarAsync("SELECT count(*) FROM incidents");
        var head = await server.Database.ScalarAsync("SELECT seq FROM change_log_head");
        var status = await ImportAsync(RecordsOptions("atomic", dryRun: true, source: "rms-dry"), ("records.csv", RecordsCsv("D")));
        Assert.Equal("succeeded", status.GetProperty("state").GetString());
        var result = status.GetProperty("result");
        Assert.True(result.GetProperty("dry_run").GetBoolean());
        Assert.Equal(7, result.GetProperty("rows_read").GetInt64());
        Assert.Equal(2, result.GetProperty("accepted").GetInt32());
        Assert.Equal(5, result.GetProperty("rejected").GetInt32());
        Assert.Equal(2, result.GetProperty("created").GetInt32()); // what the import would do
        Assert.False(result.GetProperty("written").GetBoolean());
        var rejected = RejectedFields(status);
        Assert.Equal("geometry", rejected[3]);
        Assert.Equal("occurred_at", rejected[4]);
        Assert.Equal("category", rejected[5]);
        Assert.Equal("row", rejected[6]);
        Assert.Equal("severity", rejected[7]);
        var messages = result.GetProperty("rejects").EnumerateArray().ToDictionary(r => r.GetProperty("row").GetInt64(), r => r.GetProperty("message").GetString()!);
        Assert.Contains("missing coordinates", messages[3]);
        Assert.Contains("2026-13-01 10:00:00", messages[4]);
        Assert.Contains("ALIENS", messages[5]);
        Assert.Contains("6 cells", messages[6]);
        Assert.Equal(before, await server.Database.ScalarAsync("SELECT count(*) FROM incidents"));
        Assert.Equal(head, await server.Database.ScalarAsync("SELECT seq FROM change_log_head"));
    }

    [Fact]
    public async Task AnAtomicImportWithRejectsWritesNothingAndSkipBadRowsWritesTheGoodRowsInWgs84WithTheirDistricts()
    {
        var before = await server.Database.ScalarAsync("SELECT count(*) FROM incidents");
        var atomic = await ImportAsync(RecordsOptions("atomic", source: "rms-a"), ("records.csv", RecordsCsv("A")));
        Assert.Equal("rejected", atomic.GetProperty("state").GetString());
        Assert.False(atomic.GetProperty("result").GetProperty("written").GetBoolean());
        Assert.Equal(before, await server.Database.ScalarAsync("SELECT count(*) FROM incidents"));

        var skip = await ImportAsync(RecordsOptions("skip_bad_rows", source: "rms-a"), ("records.csv", RecordsCsv("A")));
        Assert.Equal("succeeded", skip.GetProperty("state").GetString());
        Assert.Equal(2, skip.GetProperty("result").GetProperty("created").GetInt32());
        Assert.Equal(before + 2, await server.Database.ScalarAsync("SELECT count(*) FROM incidents"));
        // GCJ-02 back to WGS84 within a centimetre (the iterated inverse), the district from the location, local time → UTC
        var west = await server.Database.ScalarDoubleAsync(
            $"SELECT ST_Distance(geom::geography, ST_SetSRID(ST_MakePoint({West.ToString(CultureInfo.InvariantCulture)}, {Lat.ToString(CultureInfo.InvariantCulture)}), 4326)::geography) FROM incidents WHERE source = 'rms-a' AND external_id = 'A-1'");
        Assert.True(west < 0.01, $"{west} m from the true position");
        Assert.Equal(1, await server.Database.ScalarAsync("SELECT count(*) FROM incidents WHERE source = 'rms-a' AND external_id = 'A-1' AND district = 'SA' AND category = 'property_theft' AND occurred_at = '2026-03-01T00:30:00Z' AND address = 'Market St, stall 3'"));
        Assert.Equal(1, await server.Database.ScalarAsync("SELECT count(*) FROM incidents WHERE source = 'rms-a' AND external_id = 'A-2' AND district = 'SB'"));

        // the reject file lists every reason
        var id = skip.GetProperty("id").GetString();
        var csv = await _client.GetStringAsync($"/api/imports/{id}/rejects.csv");
        Assert.StartsWith("file,row,field,message", csv);
        Assert.Contains("records.csv,3,geometry,", csv);
        Assert.Contains("records.csv,7,severity,", csv);
        Assert.Equal(1, await server.Database.ScalarAsync("SELECT count(*) FROM audit_log WHERE action = 'import' AND detail->>'source' = 'rms-a'"));
    }

    [Fact]
    public async Task ReimportingTheSameRecordsUpdatesOnlyWhatChangedAndNeverDuplicates()
    {
        var first = await ImportAsync(RecordsOptions("skip_bad_rows", source: "rms-i"), ("records.csv", RecordsCsv("I")));
        Assert.Equal(2, first.GetProperty("result").GetProperty("created").GetInt32());
        var version = await server.Database.ScalarAsync("SELECT version FROM incidents WHERE source = 'rms-i' AND external_id = 'I-2'");

        var again = await ImportAsync(RecordsOptions("skip_bad_rows", source: "rms-i"), ("records.csv", RecordsCsv("I")));
        Assert.Equal(0, again.GetProperty("result").GetProperty("created").GetInt32());
        Assert.Equal(0, again.GetProperty("result").GetProperty("updated").GetInt32());
        Assert.Equal(2, again.GetProperty("result").GetProperty("unchanged").GetInt32());

        var changed = RecordsCsv("I").Replace("I-2,ASSAULT,3", "I-2,ASSAULT,4");
        var third = await ImportAsync(RecordsOptions("skip_bad_rows", source: "rms-i"), ("records.csv", changed));
        Assert.Equal(1, third.GetProperty("result").GetProperty("updated").GetInt32());
        Assert.Equal(1, third.GetProperty("result").GetProperty("unchanged").GetInt32());
        Assert.Equal(2, await server.Database.ScalarAsync("SELECT count(*) FROM incidents WHERE source = 'rms-i'"));
        Assert.Equal(4, await server.Database.ScalarAsync("SELECT severity FROM incidents WHERE source = 'rms-i' AND external_id = 'I-2'"));
        Assert.Equal(version + 1, await server.Database.ScalarAsync("SELECT version FROM incidents WHERE source = 'rms-i' AND external_id = 'I-2'"));
    }

    [Fact]
    public async Task ZonesExportedAsGeoJsonImportBackAsTheSameFeatures()
    {
        var a = await _client.CreateAsync("zones", Zone("school", West + 0.001, Lat + 0.001, 0.0007));
        var b = await _client.CreateAsync("zones", Feature(Square(East - 0.001, Lat - 0.001, 0.0006), new JsonObject
        {
            ["name"] = "城中村 7",
            ["name_en"] = "Urban village 7",
            ["kind"] = "urban_village",
            ["risk_level"] = 4,
            ["coverage_target"] = 0.7,
        }));
        var export = await _client.GetStringAsync($"/api/zones?bbox={West - 0.02},{Lat - 0.02},{East + 0.02},{Lat + 0.02}");
        var options = new { layer = "zones", source = "roundtrip", external_id = "name", mode = "atomic" };
        var status = await ImportAsync(options, ("zones.geojson", export));
        var result = status.GetProperty("result");
        Assert.True(result.GetProperty("rejected").GetInt32() == 0, status.ToString());
        foreach (var original in new[] { a, b })
        {
            var name = original.GetProperty("properties").GetProperty("name").GetString()!.Replace("'", "''");
            Assert.Equal(1, await server.Database.ScalarAsync(
                $"SELECT count(*) FROM zones c JOIN zones o ON o.id = {original.Id()} WHERE c.source = 'roundtrip' AND c.external_id = '{name}' " +
                "AND ST_Equals(c.geom, o.geom) AND c.kind = o.kind AND c.risk_level = o.risk_level AND c.coverage_target IS NOT DISTINCT FROM o.coverage_target " +
                "AND c.name_en IS NOT DISTINCT FROM o.name_en AND c.district = o.district"));
        }
    }

    [Fact]
    public async Task AScopedAccountImportsOnlyInsideItsDistrictsAndAViewerCannotImport()
    {
        var scoped = server.CreateClient(server.ScopedToken);
        var status = await ImportAsync(scoped, RecordsOptions("skip_bad_rows", source: "rms-s"), ("records.csv", RecordsCsv("S")));
        var rejects = status.GetProperty("result").GetProperty("rejects").EnumerateArray().ToList();
        Assert.Contains(rejects, r => r.GetProperty("row").GetInt64() == 2 && r.GetProperty("message").GetString()!.Contains("outside your districts"));
        Assert.Equal(1, await server.Database.ScalarAsync("SELECT count(*) FROM incidents WHERE source = 'rms-s'"));

        var viewer = server.CreateClient(await server.CreateTokenAsync("import-viewer", [Roles.Viewer], []));
        var refused = await viewer.PostAsync("/api/imports?wait=true", Upload(RecordsOptions("atomic"), ("records.csv", RecordsCsv("V"))));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await scoped.GetAsync($"/api/imports/{status.GetProperty("id").GetString()}x")).StatusCode);
    }

    [Fact]
    public async Task BadOptionsAreRefusedBeforeAnyRowIsReadWithTheirPlace()
    {
        var noLayer = await _client.PostAsync("/api/imports", Upload(new { layer = "secrets" }, ("a.csv", "x,y\n1,2\n")));
        Assert.Equal(HttpStatusCode.BadRequest, noLayer.StatusCode);
        Assert.Contains("/options/layer", (await noLayer.JsonAsync()).GetProperty("errors").EnumerateObject().Select(e => e.Name));

        var badJson = await _client.PostAsync("/api/imports", Upload("not json", ("a.csv", "x,y\n1,2\n")));
        Assert.Equal(HttpStatusCode.BadRequest, badJson.StatusCode);

        var unknownColumn = await ImportAsync(new Dictionary<string, object>
        {
            ["layer"] = "incidents",
            ["fields"] = new Dictionary<string, object> { ["category"] = new { column = "kind" }, ["colour"] = new { value = "red" } },
        }, ("a.csv", "x,y,type\n118,41,THEFT\n"));
        Assert.Equal("refused", unknownColumn.GetProperty("state").GetString());
        var problems = unknownColumn.GetProperty("problems");
        Assert.Contains("type", problems.GetProperty("/options/fields/category/column")[0].GetString());
        Assert.True(problems.TryGetProperty("/options/fields/colour", out _));

        var unknownCrs = await ImportAsync(new { layer = "incidents", crs = "EPSG:999999" }, ("a.csv", "x,y\n118,41\n"));
        Assert.Equal("refused", unknownCrs.GetProperty("state").GetString());
        Assert.True(unknownCrs.GetProperty("problems").TryGetProperty("/options/crs", out _));

        var notForm = await _client.PostAsync("/api/imports", Raw("{}"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, notForm.StatusCode);
    }
}

/// <summary>Export → import round trips through every file format the import reads, on the two-district server.</summary>
public sealed class ImportRoundTripTests(ScopedServer server) : IClassFixture<ScopedServer>
{
    private readonly HttpClient _client = server.CreateClient();
    private const double West = ScopedServer.West, East = ScopedServer.East, Lat = ScopedServer.Lat;

    [Theory]
    [InlineData("geojson")]
    [InlineData("csv")]
    [InlineData("gpkg")]
    [InlineData("shp.zip")]
    public async Task IncidentsExportedInAFormatImportBackAsTheSameIncidents(string format)
    {
        // a day of its own, so the export selects exactly these three; GeoPackage keeps times to the millisecond (its DATETIME)
        var day = new DateTimeOffset(2025, 1, 3 + Array.IndexOf(["geojson", "csv", "gpkg", "shp.zip"], format), 0, 0, 0, TimeSpan.Zero);
        var originals = new List<long>();
        foreach (var (lon, category, severity, hour) in new[] { (West - 0.001, "violent", 4, 1), (West + 0.003, "fraud", 1, 7), (East + 0.002, "traffic", 2, 13) })
        {
            var feature = Incident(lon, Lat + 0.0005 * hour, category, severity, day.AddHours(hour).AddMilliseconds(123));
            feature["properties"]!["address"] = $"路 {hour} 号, \"gate\" B";
            feature["properties"]!["description"] = "line one\nline two, with a comma";
            originals.Add((await _client.CreateAsync("incidents", feature)).Id());
        }
        var window = $"{day:yyyy-MM-dd'T'HH:mm:ss'Z'}/{day.AddDays(1):yyyy-MM-dd'T'HH:mm:ss'Z'}";
        var response = await _client.GetAsync($"/api/exports/incidents.{format}?datetime={Uri.EscapeDataString(window)}&redact=false");
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        var bytes = await response.Content.ReadAsByteArrayAsync();

        var form = new MultipartFormDataContent
        {
            { new StringContent(JsonSerializer.Serialize(new { layer = "incidents", source = "rt-" + format.Replace('.', '-'), external_id = format == "gpkg" ? "fid" : "id" })), "options" },
            { new ByteArrayContent(bytes), "file", "incidents." + format },
        };
        var status = await (await _client.PostAsync("/api/imports?wait=true", form)).JsonAsync();
        Assert.True(status.GetProperty("state").GetString() == "succeeded", status.ToString());
        var result = status.GetProperty("result");
        Assert.True(result.GetProperty("created").GetInt32() == 3, status.ToString());
        Assert.Equal(0, result.GetProperty("rejected").GetInt32());
        var source = "rt-" + format.Replace('.', '-');
        var pairs = new List<string>();
        await using (var cmd = server.Database.DataSource.CreateCommand(
            $"SELECT row_to_json(c)::text, row_to_json(o)::text FROM incidents c JOIN incidents o ON c.external_id = o.id::text WHERE c.source = '{source}'"))
        await using (var reader = await cmd.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync()) pairs.Add(reader.GetString(0) + "\n" + reader.GetString(1));
        }
        Assert.True(3 == await server.Database.ScalarAsync(
            $"SELECT count(*) FROM incidents c JOIN incidents o ON c.external_id = o.id::text WHERE c.source = '{source}' AND o.id IN ({string.Join(',', originals)}) " +
            "AND ST_Distance(c.geom, o.geom) < 1e-9 AND c.category = o.category AND c.severity = o.severity AND c.status = o.status " +
            "AND c.occurred_at = o.occurred_at AND abs(extract(epoch FROM c.reported_at - o.reported_at)) < 0.001 AND c.address = o.address AND c.description = o.description " +
            "AND c.district = o.district"), string.Join("\n\n", pairs));
    }

    [Fact]
    public async Task AShapefileInCgcs2000GaussKrugerImportsThroughItsPrjWithinAMillimetre()
    {
        var work = Directory.CreateTempSubdirectory("sm-shp-").FullName;
        var geojson = Path.Combine(work, "zones.geojson");
        var areas = new[] { (West + 0.002, "school"), (East - 0.003, "crowded_public_place") };
        await File.WriteAllTextAsync(geojson, new JsonObject
        {
            ["type"] = "FeatureCollection",
            ["features"] = new JsonArray(areas.Select((a, i) => (JsonNode)new JsonObject
            {
                ["type"] = "Feature",
                ["geometry"] = Square(a.Item1, Lat + 0.001, 0.0008),
                ["properties"] = new JsonObject { ["code"] = $"Z{i}", ["name"] = $"测区 {i}", ["kind"] = a.Item2, ["risk_level"] = i + 2 },
            }).ToArray()),
        }.ToJsonString());
        // GDAL (PROJ) projects to EPSG:4548, CGCS2000 3-degree Gauss-Kruger CM 117E, and writes the ESRI .prj
        await Gdal.RunAsync("ogr2ogr", "-f", "ESRI Shapefile", "-s_srs", "EPSG:4326", "-t_srs", "EPSG:4548", Path.Combine(work, "survey.shp"), geojson);
        var zip = Path.Combine(work, "survey.zip");
        using (var archive = System.IO.Compression.ZipFile.Open(zip, System.IO.Compression.ZipArchiveMode.Create))
        {
            foreach (var part in Directory.GetFiles(work, "survey.*").Where(f => !f.EndsWith(".zip")))
                System.IO.Compression.ZipFileExtensions.CreateEntryFromFile(archive, part, Path.GetFileName(part));
        }
        var form = new MultipartFormDataContent
        {
            { new StringContent(JsonSerializer.Serialize(new { layer = "zones", source = "survey", external_id = "code" })), "options" },
            { new ByteArrayContent(await File.ReadAllBytesAsync(zip)), "file", "survey.zip" },
        };
        var status = await (await _client.PostAsync("/api/imports?wait=true", form)).JsonAsync();
        Assert.True(status.GetProperty("state").GetString() == "succeeded", status.ToString());
        Assert.Equal("EPSG:4548", status.GetProperty("result").GetProperty("crs").GetString());
        Assert.Equal(2, status.GetProperty("result").GetProperty("created").GetInt32());
        for (var i = 0; i < areas.Length; i++)
        {
            var (lon, kind) = areas[i];
            var inv = CultureInfo.InvariantCulture;
            var metres = await server.Database.ScalarDoubleAsync(string.Create(inv,
                $"SELECT ST_HausdorffDistance(ST_Transform(geom, 32650), ST_Transform(ST_MakeEnvelope({lon - 0.0008}, {Lat + 0.001 - 0.0008}, {lon + 0.0008}, {Lat + 0.001 + 0.0008}, 4326), 32650)) " +
                $"FROM zones WHERE source = 'survey' AND external_id = 'Z{i}' AND kind = '{kind}' AND risk_level = {i + 2} AND name = '测区 {i}'"));
            Assert.True(metres < 0.001, $"zone {i} is {metres * 1000:0.###} mm from where GDAL put it");
        }
    }
}
