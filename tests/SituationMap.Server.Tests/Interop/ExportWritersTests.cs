using SituationMap.Server.Interop.Formats;

namespace SituationMap.Server.Tests.Interop;

/// <summary>Each writer on the sample layers (every field kind, Chinese text with quotes and a comma, a polygon with a hole, two-part areas), read by GDAL.</summary>
public sealed class ExportWritersTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("writer-tests");

    public void Dispose() => _dir.Delete(recursive: true);

    private async Task<string> WriteAsync(IFeatureWriter writer, ExportLayer layer, IReadOnlyList<ExportFeature> features)
    {
        var path = Path.Combine(_dir.FullName, layer.Name + writer.Extension);
        await using (var file = File.Create(path)) await writer.WriteAsync(file, layer, ExportSamples.Stream(features), CancellationToken.None);
        return path;
    }

    public static TheoryData<string> Formats() => ["geojson", "csv", "gpkg", "shp", "kml"];

    private static IFeatureWriter WriterFor(string format) =>
        new IFeatureWriter[] { new GeoJsonWriter(), new CsvWriter(), new GeoPackageWriter(), new ShapefileZipWriter(), new KmlWriter() }.Single(w => w.Format == format);

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task TextAndNumbersSurviveAndTheKindsAreKeptWhereTheFormatHasTypes(string format)
    {
        var path = await WriteAsync(WriterFor(format), ExportSamples.Points, ExportSamples.PointFeatures());
        var all = await Gdal.RunAsync("ogrinfo", "-ro", "-al", path);
        Assert.Contains("西区 \"东门\", 路口", all);
        Assert.Contains("POINT (118.123456789 41.987654321)", all);
        Assert.Contains("POINT (-0.5 -33.25)", all);
        Assert.Contains("-12.5", all);
        Assert.Contains("9000000001", all);
        var summary = await Gdal.RunAsync("ogrinfo", "-ro", "-al", "-so", path);
        switch (format)
        {
            case "geojson" or "gpkg":
                Assert.Matches(@"\nseverity: Integer(64)? ", summary);
                Assert.Contains("\ncoverage_target: Real ", summary);
                Assert.Contains("\nactive: Integer(Boolean) ", summary);
                Assert.Contains("\noccurred_at: DateTime ", summary);
                Assert.Contains("occurred_at (DateTime) = 2026/03/01 08:15:30.250+00", all);
                Assert.Contains("active (Integer(Boolean)) = 1", all);
                break;
            case "shp":
                Assert.Contains("\nseverity: Integer64 ", summary);
                Assert.Contains("\ncoverage_t: Real ", summary);
                Assert.Contains("\nactive: String (1.0)", summary);
                Assert.Contains("occurred_a (String) = 2026-03-01T08:15:30.25Z", all);
                Assert.Contains("occurred_1 (String) = after", all);
                break;
            default:
                // CSV and KML have no types: the invariant text of each kind
                Assert.Contains("occurred_at (String) = 2026-03-01T08:15:30.25Z", all);
                Assert.Contains("active (String) = true", all);
                Assert.Contains("coverage_target (String) = 0.75", all);
                break;
        }
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task HolesAndMultiPartAreasKeepTheirShape(string format)
    {
        var path = await WriteAsync(WriterFor(format), ExportSamples.Areas, ExportSamples.AreaFeatures());
        var all = await Gdal.RunAsync("ogrinfo", "-ro", "-al", "-geom=ISO_WKT", path);
        var shapes = all.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("POLYGON", StringComparison.Ordinal) || l.StartsWith("MULTIPOLYGON", StringComparison.Ordinal))
            .Select(wkt => new NetTopologySuite.IO.WKTReader().Read(wkt)).ToList();
        Assert.Equal(2, shapes.Count);
        var expected = ExportSamples.AreaFeatures();
        Assert.Equal(expected[0].Geometry!.Area, shapes[0].Area, 12);
        Assert.Equal(1, ((NetTopologySuite.Geometries.Polygon)shapes[0].GetGeometryN(0)).NumInteriorRings);
        Assert.Equal(2, shapes[1].NumGeometries);
        Assert.Equal(expected[1].Geometry!.Area, shapes[1].Area, 12);
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task AFeatureWithoutGeometryIsStillExported(string format)
    {
        var features = ExportSamples.PointFeatures().Append(new ExportFeature(77, null, ["nowhere", 1L, null, null, null, null])).ToList();
        var path = await WriteAsync(WriterFor(format), ExportSamples.Points, features);
        Assert.Contains("Feature Count: 4\n", await Gdal.RunAsync("ogrinfo", "-ro", "-al", "-so", path));
        Assert.Contains("nowhere", await Gdal.RunAsync("ogrinfo", "-ro", "-al", path));
    }
}
