using SituationMap.Server.Interop.Formats;

namespace SituationMap.Server.Tests.Interop;

/// <summary>GeoPackageWriter → GeoPackageSource keeps geometries, ids and typed values; the reader also reads what GDAL writes.</summary>
public sealed class GeoPackageSourceTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("gpkg-tests");

    public void Dispose() => _dir.Delete(recursive: true);

    private async Task<string> WriteAsync(ExportLayer layer, IReadOnlyList<ExportFeature> features)
    {
        var path = Path.Combine(_dir.FullName, layer.Name + ".gpkg");
        await using (var file = File.Create(path)) await new GeoPackageWriter().WriteAsync(file, layer, ExportSamples.Stream(features), CancellationToken.None);
        return path;
    }

    [Fact]
    public async Task WhatTheWriterWritesReadsBackWithTheSameGeometriesAndTypedValues()
    {
        foreach (var (layer, features) in new[] { (ExportSamples.Points, ExportSamples.PointFeatures()), (ExportSamples.Areas, ExportSamples.AreaFeatures()) })
        {
            using var source = new GeoPackageSource(await WriteAsync(layer, features));
            Assert.Equal("gpkg", source.Format);
            Assert.Equal("EPSG:4326", source.DeclaredCrs);
            Assert.Equal(layer.Fields.Select(f => f.Name).Prepend("fid"), source.Columns);
            Assert.Equal(features.Count, source.Count);
            Assert.Equal(0, source.Progress);
            var read = source.Read(CancellationToken.None).ToList();
            Assert.Equal(1, source.Progress);
            Assert.Equal(features.Count, read.Count);
            for (var i = 0; i < features.Count; i++)
            {
                Assert.Null(read[i].Problem);
                Assert.Equal(i + 1, read[i].Row);
                Assert.True(features[i].Geometry!.EqualsExact(read[i].Geometry!), $"{features[i].Geometry} read as {read[i].Geometry}");
                Assert.Equal(features[i].Values, layer.Fields.Select(f => read[i].Attributes[f.Name]));
            }
        }
    }

    [Fact]
    public async Task ANamedTableIsReadAndAMissingOneIsRefused()
    {
        var path = await WriteAsync(ExportSamples.Points, ExportSamples.PointFeatures());
        using (var named = new GeoPackageSource(path, "sample_points")) Assert.Equal("sample_points", named.Table);
        var e = Assert.Throws<InvalidDataException>(() => new GeoPackageSource(path, "nope"));
        Assert.Contains("nope", e.Message);
    }

    [Fact]
    public async Task AGeoPackageWrittenByGdalIsReadWithItsCrsAndValues()
    {
        var geojson = Path.Combine(_dir.FullName, "in.geojson");
        await File.WriteAllTextAsync(geojson, """
            {"type":"FeatureCollection","features":[
              {"type":"Feature","geometry":{"type":"Point","coordinates":[500000,4500000]},"properties":{"name":"a","n":5,"x":1.25}},
              {"type":"Feature","geometry":{"type":"Point","coordinates":[500010,4500020]},"properties":{"name":"b","n":6,"x":null}}]}
            """);
        var gpkg = Path.Combine(_dir.FullName, "gdal.gpkg");
        await Gdal.RunAsync("ogr2ogr", "-f", "GPKG", "-a_srs", "EPSG:4547", "-nln", "points", gpkg, geojson);

        using var source = new GeoPackageSource(gpkg);
        Assert.Equal("EPSG:4547", source.DeclaredCrs);
        Assert.Equal(["fid", "name", "n", "x"], source.Columns);
        Assert.Equal(2, source.Count);
        var rows = source.Read(CancellationToken.None).ToList();
        Assert.Equal(500010, rows[1].Geometry!.Coordinate.X);
        Assert.Equal(4500020, rows[1].Geometry!.Coordinate.Y);
        Assert.Equal("a", rows[0].Attributes["name"]);
        Assert.Equal(5L, rows[0].Attributes["n"]);
        Assert.Equal(1.25, rows[0].Attributes["x"]);
        Assert.Null(rows[1].Attributes["x"]);
    }
}
