using System.Globalization;
using System.Text.Json;
using NetTopologySuite.Algorithm;
using NetTopologySuite.Features;
using NetTopologySuite.IO.Converters;
using static SituationMap.DemoCity.Tests.DemoCityUnderTest;

namespace SituationMap.DemoCity.Tests;

public sealed class ExportTests
{
    private const string RegenerateVariable = "SITUATIONMAP_REGENERATE_DEMO";

    /// <summary>
    /// The committed geodata/demo-city must be exactly what the generator writes. With SITUATIONMAP_REGENERATE_DEMO=1
    /// the test rewrites the committed files instead (see geodata/demo-city/README.md).
    /// </summary>
    [Fact]
    public void CommittedExportMatchesTheGenerator()
    {
        var committed = Path.Combine(RepositoryRoot(), "geodata", "demo-city");
        if (Environment.GetEnvironmentVariable(RegenerateVariable) == "1")
        {
            DemoCityExport.WriteAll(new DemoCityOptions(), committed);
            return;
        }
        var fresh = NewTempDirectory();
        try
        {
            DemoCityExport.WriteAll(new DemoCityOptions(), fresh);
            var hint = $"Regenerate with `{RegenerateVariable}=1 dotnet test tests/SituationMap.DemoCity.Tests --filter \"FullyQualifiedName~CommittedExport\"` and commit geodata/demo-city.";
            foreach (var file in DemoCityExport.FileNames)
            {
                var path = Path.Combine(committed, file);
                Assert.True(File.Exists(path), $"geodata/demo-city/{file} is missing. {hint}");
                var expected = File.ReadAllBytes(Path.Combine(fresh, file));
                var actual = File.ReadAllBytes(path);
                Assert.True(expected.AsSpan().SequenceEqual(actual), $"geodata/demo-city/{file} differs from the generator output. {hint}");
            }
        }
        finally
        {
            Directory.Delete(fresh, true);
        }
    }

    [Fact]
    public void TheExportIsRfc7946GeoJsonWithSnakeCaseProperties()
    {
        var directory = NewTempDirectory();
        try
        {
            DemoCityExport.WriteAll(Options with { IncidentCount = 3_000 }, directory);
            var expected = new Dictionary<string, string[]>(StringComparer.Ordinal)
            {
                ["districts.geojson"] = ["code", "name", "name_en"],
                ["roads.geojson"] = ["name", "name_en", "class", "one_way", "max_speed_kmh"],
                ["zones.geojson"] = ["name", "name_en", "kind", "risk_level", "coverage_target", "district_code"],
                ["cameras.geojson"] = ["name", "kind", "heading_deg", "field_of_view_deg", "range_m", "mounting_height_m", "status", "privacy_masks", "installed_at", "owner_unit", "district_code"],
                ["patrol_routes.geojson"] = ["name", "level", "mode", "owner_unit", "shifts", "status", "district_code"],
                ["patrol_units.geojson"] = ["call_sign", "level", "mode", "status", "district_code", "last_seen", "speed_mps", "heading_deg"],
                ["buildings.geojson"] = ["id", "kind", "levels", "height_m", "district_code"],
            };
            var counts = new Dictionary<string, int>(StringComparer.Ordinal)
            {
                ["districts.geojson"] = Layers.Districts.Count,
                ["roads.geojson"] = Layers.Roads.Count,
                ["zones.geojson"] = Layers.Zones.Count,
                ["cameras.geojson"] = Layers.Cameras.Count,
                ["patrol_routes.geojson"] = Layers.PatrolRoutes.Count,
                ["patrol_units.geojson"] = Layers.PatrolUnits.Count,
                ["buildings.geojson"] = DemoCityExport.BuildingSample(Layers).Count(),
            };
            var reader = new JsonSerializerOptions();
            reader.Converters.Add(new GeoJsonConverterFactory());
            foreach (var (file, properties) in expected)
            {
                var text = File.ReadAllText(Path.Combine(directory, file));
                Assert.False(text.StartsWith('\uFEFF'));
                using var document = JsonDocument.Parse(text);
                Assert.Equal("FeatureCollection", document.RootElement.GetProperty("type").GetString());
                var features = document.RootElement.GetProperty("features").EnumerateArray().ToList();
                Assert.Equal(counts[file], features.Count);
                foreach (var feature in features)
                {
                    Assert.Equal(properties, feature.GetProperty("properties").EnumerateObject().Select(p => p.Name).ToArray());
                    AssertPositions(feature.GetProperty("geometry"));
                }
                // NetTopologySuite reads it back with the same geometry count, and polygons follow the right-hand rule
                var collection = JsonSerializer.Deserialize<FeatureCollection>(text, reader)!;
                Assert.Equal(counts[file], collection.Count);
                foreach (var polygon in collection.SelectMany(f => Polygons(f.Geometry)))
                {
                    Assert.True(Orientation.IsCCW(polygon.ExteriorRing.CoordinateSequence), $"{file}: exterior ring is not counter-clockwise");
                    Assert.All(polygon.InteriorRings, h => Assert.False(Orientation.IsCCW(h.CoordinateSequence)));
                }
            }
            var enumValues = File.ReadAllText(Path.Combine(directory, "zones.geojson"));
            Assert.Contains("\"kind\":\"urban_village\"", enumValues, StringComparison.Ordinal);
            Assert.Contains("\"level\":\"community\"", File.ReadAllText(Path.Combine(directory, "patrol_routes.geojson")), StringComparison.Ordinal);
            Assert.Contains("\"kind\":\"residential\"", File.ReadAllText(Path.Combine(directory, "buildings.geojson")), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, true);
        }
    }

    [Fact]
    public void TheIncidentSampleHoldsTheFirstTwoThousandIncidents()
    {
        var directory = NewTempDirectory();
        try
        {
            DemoCityExport.WriteAll(Options, directory);
            var lines = File.ReadAllLines(Path.Combine(directory, "incidents-sample.csv"));
            Assert.Equal("external_id,category,severity,status,occurred_at,reported_at,longitude,latitude,address,district_code,description", lines[0]);
            Assert.Equal(DemoCityExport.IncidentSampleSize + 1, lines.Length);
            for (var k = 1; k < lines.Length; k++)
            {
                var fields = SplitCsv(lines[k]);
                Assert.Equal(11, fields.Count);
                var incident = Incidents[k - 1];
                Assert.Equal(incident.ExternalId, fields[0]);
                Assert.Equal(incident.Description, fields[10]);
                Assert.Equal(incident.Location.X, double.Parse(fields[6], CultureInfo.InvariantCulture));
                Assert.Equal(incident.OccurredAt, DateTimeOffset.Parse(fields[4], CultureInfo.InvariantCulture));
            }
            var total = DemoCityExport.FileNames.Sum(f => new FileInfo(Path.Combine(directory, f)).Length);
            Assert.True(total < 5_000_000, $"the export is {total / 1e6:F1} MB");
        }
        finally
        {
            Directory.Delete(directory, true);
        }
    }

    private static IEnumerable<NetTopologySuite.Geometries.Polygon> Polygons(NetTopologySuite.Geometries.Geometry geometry) =>
        Enumerable.Range(0, geometry.NumGeometries).Select(geometry.GetGeometryN).OfType<NetTopologySuite.Geometries.Polygon>();

    /// <summary>Every position is [longitude, latitude] with at most 7 decimals, inside the demo city's neighbourhood.</summary>
    private static void AssertPositions(JsonElement geometry)
    {
        void Visit(JsonElement e)
        {
            if (e[0].ValueKind == JsonValueKind.Number)
            {
                Assert.Equal(2, e.GetArrayLength());
                var (lon, lat) = (e[0].GetRawText(), e[1].GetRawText());
                Assert.InRange(double.Parse(lon, CultureInfo.InvariantCulture), 114.6, 115.2);
                Assert.InRange(double.Parse(lat, CultureInfo.InvariantCulture), 40.6, 41.0);
                Assert.True(Decimals(lon) <= 7 && Decimals(lat) <= 7, $"{lon}, {lat} has more than 7 decimals");
                return;
            }
            foreach (var child in e.EnumerateArray()) Visit(child);
        }
        Visit(geometry.GetProperty("coordinates"));
    }

    private static int Decimals(string number) => number.Contains('.', StringComparison.Ordinal) ? number.Length - number.IndexOf('.', StringComparison.Ordinal) - 1 : 0;

    private static List<string> SplitCsv(string line)
    {
        var fields = new List<string>();
        var current = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"') { current.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else current.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { fields.Add(current.ToString()); current.Clear(); }
            else current.Append(c);
        }
        fields.Add(current.ToString());
        return fields;
    }
}
