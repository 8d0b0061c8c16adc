using System.Globalization;
using System.Text;
using System.Text.Json;
using SituationMap.Analysis.Domain;
using SituationMap.Analysis.Geometry;

namespace SituationMap.DemoCity;

/// <summary>
/// Writes the demo city as files: seven RFC 7946 GeoJSON FeatureCollections (properties in snake_case, named like the
/// record fields, enum values as their wire names; the buildings only around the old town, see
/// <see cref="BuildingSample"/>), the first 2,000 incidents as CSV and a README describing them.
/// The output is byte-for-byte the same for the same options (the committed copy lives in geodata/demo-city).
/// </summary>
public static class DemoCityExport
{
    /// <summary>Incidents written to incidents-sample.csv: the first ones of the year, in time order.</summary>
    public const int IncidentSampleSize = 2_000;

    public static readonly IReadOnlyList<string> FileNames =
    [
        "districts.geojson", "roads.geojson", "zones.geojson", "cameras.geojson", "patrol_routes.geojson",
        "patrol_units.geojson", "buildings.geojson", "incidents-sample.csv", "README.md",
    ];

    /// <summary>buildings.geojson holds the buildings whose centroid lies within this distance (metres) of the old-town
    /// centre, 114.9°E 40.8°N: all of them would make the repository several megabytes larger.</summary>
    public const double BuildingSampleRadiusM = 2_500;

    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    public static void WriteAll(DemoCityOptions options, string directory)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Directory.CreateDirectory(directory);
        var layers = DemoCityGenerator.GenerateLayers(options);
        WriteLayers(layers, directory);
        var sample = DemoCityGenerator.GenerateIncidents(options, layers).Take(IncidentSampleSize).ToList();
        WriteIncidentCsv(sample, Path.Combine(directory, "incidents-sample.csv"));
        File.WriteAllText(Path.Combine(directory, "README.md"), DemoCityReadme.Text(options, layers, sample), Utf8NoBom);
    }

    private static void WriteLayers(DemoCityLayers layers, string directory)
    {
        using (var w = new GeoJsonFeatureWriter(Path.Combine(directory, "districts.geojson")))
        {
            foreach (var d in layers.Districts)
            {
                w.Write(d.Area, p =>
                {
                    p.WriteString("code", d.Code);
                    p.WriteString("name", d.Name);
                    p.WriteString("name_en", d.NameEn);
                });
            }
        }
        using (var w = new GeoJsonFeatureWriter(Path.Combine(directory, "roads.geojson")))
        {
            foreach (var r in layers.Roads)
            {
                w.Write(r.Geometry, p =>
                {
                    p.WriteString("name", r.Name);
                    p.WriteString("name_en", r.NameEn);
                    p.WriteString("class", r.Class);
                    p.WriteBoolean("one_way", r.OneWay);
                    p.WriteNumber("max_speed_kmh", r.MaxSpeedKmh);
                });
            }
        }
        using (var w = new GeoJsonFeatureWriter(Path.Combine(directory, "zones.geojson")))
        {
            foreach (var z in layers.Zones)
            {
                w.Write(z.Area, p =>
                {
                    p.WriteString("name", z.Name);
                    p.WriteString("name_en", z.NameEn);
                    p.WriteString("kind", WireNames.Of(z.Kind));
                    p.WriteNumber("risk_level", z.RiskLevel);
                    if (z.CoverageTarget is { } target) GeoJsonFeatureWriter.WriteNumber(p, "coverage_target", target, 2);
                    else p.WriteNull("coverage_target");
                    WriteNullableString(p, "district_code", z.DistrictCode);
                });
            }
        }
        using (var w = new GeoJsonFeatureWriter(Path.Combine(directory, "cameras.geojson")))
        {
            foreach (var c in layers.Cameras)
            {
                w.Write(c.Location, p =>
                {
                    p.WriteString("name", c.Name);
                    p.WriteString("kind", WireNames.Of(c.Kind));
                    GeoJsonFeatureWriter.WriteNumber(p, "heading_deg", c.HeadingDeg, 1);
                    GeoJsonFeatureWriter.WriteNumber(p, "field_of_view_deg", c.FieldOfViewDeg, 1);
                    GeoJsonFeatureWriter.WriteNumber(p, "range_m", c.RangeM, 1);
                    GeoJsonFeatureWriter.WriteNumber(p, "mounting_height_m", c.MountingHeightM, 1);
                    p.WriteString("status", WireNames.Of(c.Status));
                    p.WritePropertyName("privacy_masks");
                    if (c.PrivacyMasks is null) p.WriteNullValue();
                    else GeoJsonFeatureWriter.WriteGeometry(p, c.PrivacyMasks);
                    p.WriteString("installed_at", GeoJsonFeatureWriter.Timestamp(c.InstalledAt));
                    p.WriteString("owner_unit", c.OwnerUnit);
                    WriteNullableString(p, "district_code", c.DistrictCode);
                });
            }
        }
        using (var w = new GeoJsonFeatureWriter(Path.Combine(directory, "patrol_routes.geojson")))
        {
            foreach (var r in layers.PatrolRoutes)
            {
                w.Write(r.Geometry, p =>
                {
                    p.WriteString("name", r.Name);
                    p.WriteString("level", WireNames.Of(r.Level));
                    p.WriteString("mode", WireNames.Of(r.Mode));
                    p.WriteString("owner_unit", r.OwnerUnit);
                    p.WritePropertyName("shifts");
                    p.WriteStartArray();
                    foreach (var s in r.Shifts)
                    {
                        p.WriteStartObject();
                        p.WriteString("start", s.Start.ToString("HH:mm", CultureInfo.InvariantCulture));
                        p.WriteString("end", s.End.ToString("HH:mm", CultureInfo.InvariantCulture));
                        p.WritePropertyName("days");
                        p.WriteStartArray();
                        foreach (var day in s.Days) p.WriteNumberValue(day);
                        p.WriteEndArray();
                        p.WriteEndObject();
                    }
                    p.WriteEndArray();
                    p.WriteString("status", WireNames.Of(r.Status));
                    WriteNullableString(p, "district_code", r.DistrictCode);
                });
            }
        }
        using (var w = new GeoJsonFeatureWriter(Path.Combine(directory, "patrol_units.geojson")))
        {
            foreach (var u in layers.PatrolUnits)
            {
                w.Write(u.Position, p =>
                {
                    p.WriteString("call_sign", u.CallSign);
                    p.WriteString("level", WireNames.Of(u.Level));
                    p.WriteString("mode", WireNames.Of(u.Mode));
                    p.WriteString("status", WireNames.Of(u.Status));
                    WriteNullableString(p, "district_code", u.DistrictCode);
                    p.WriteString("last_seen", GeoJsonFeatureWriter.Timestamp(u.LastSeen));
                    GeoJsonFeatureWriter.WriteNumber(p, "speed_mps", u.SpeedMps, 1);
                    GeoJsonFeatureWriter.WriteNumber(p, "heading_deg", u.HeadingDeg, 1);
                });
            }
        }
        using (var w = new GeoJsonFeatureWriter(Path.Combine(directory, "buildings.geojson")))
        {
            foreach (var b in BuildingSample(layers))
            {
                w.Write(b.Footprint, p =>
                {
                    p.WriteString("id", b.Id);
                    p.WriteString("kind", WireNames.Of(b.Kind));
                    p.WriteNumber("levels", b.Levels);
                    GeoJsonFeatureWriter.WriteNumber(p, "height_m", b.HeightM, 1);
                    WriteNullableString(p, "district_code", b.DistrictCode);
                });
            }
        }
    }

    /// <summary>The buildings written to buildings.geojson, in id order: those whose centroid lies within
    /// <see cref="BuildingSampleRadiusM"/> of the old-town centre.</summary>
    public static IEnumerable<DemoBuilding> BuildingSample(DemoCityLayers layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        var projection = MetricProjection.ForLocation(UrbanForm.CentreLongitude, UrbanForm.CentreLatitude);
        var centre = projection.ToMetric(UrbanForm.CentreLongitude, UrbanForm.CentreLatitude);
        return layers.Buildings.Where(b =>
        {
            var c = b.Footprint.Centroid.Coordinate;
            return projection.ToMetric(c.X, c.Y).Distance(centre) <= BuildingSampleRadiusM;
        });
    }

    private static void WriteNullableString(Utf8JsonWriter p, string name, string? value)
    {
        if (value is null) p.WriteNull(name);
        else p.WriteString(name, value);
    }

    private static void WriteIncidentCsv(IEnumerable<DemoIncident> incidents, string path)
    {
        using var writer = new StreamWriter(path, append: false, Utf8NoBom) { NewLine = "\n" };
        writer.WriteLine("external_id,category,severity,status,occurred_at,reported_at,longitude,latitude,address,district_code,description");
        foreach (var i in incidents)
        {
            writer.WriteLine(string.Join(',',
                Csv(i.ExternalId),
                WireNames.Of(i.Category),
                i.Severity.ToString(CultureInfo.InvariantCulture),
                WireNames.Of(i.Status),
                GeoJsonFeatureWriter.Timestamp(i.OccurredAt),
                GeoJsonFeatureWriter.Timestamp(i.ReportedAt),
                GeoJsonFeatureWriter.Number(i.Location.X, Wgs84Output.Decimals),
                GeoJsonFeatureWriter.Number(i.Location.Y, Wgs84Output.Decimals),
                Csv(i.Address),
                Csv(i.DistrictCode ?? ""),
                Csv(i.Description)));
        }
    }

    /// <summary>RFC 4180 quoting: only fields with a comma, quote or line break are quoted.</summary>
    private static string Csv(string value) =>
        value.AsSpan().IndexOfAny(",\"\n\r") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
}
