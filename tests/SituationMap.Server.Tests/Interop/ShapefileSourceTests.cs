using System.Globalization;
using SituationMap.Server.Interop.Formats;

namespace SituationMap.Server.Tests.Interop;

/// <summary>ShapefileZipWriter → ShapefileSource keeps geometries and values as far as DBF allows; .prj and .cpg are honoured.</summary>
public sealed class ShapefileSourceTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("shp-tests");

    public void Dispose() => _dir.Delete(recursive: true);

    private async Task<string> WriteZipAsync(ExportLayer layer, IReadOnlyList<ExportFeature> features)
    {
        var path = Path.Combine(_dir.FullName, layer.Name + ".shp.zip");
        await using (var file = File.Create(path)) await new ShapefileZipWriter().WriteAsync(file, layer, ExportSamples.Stream(features), CancellationToken.None);
        return path;
    }

    /// <summary>What a value becomes in DBF: instants as ISO text, empty text as missing.</summary>
    private static object? AsStored(object? value) => value switch
    {
        DateTimeOffset t => FieldValues.Iso(t),
        "" => null,
        _ => value,
    };

    [Fact]
    public void FieldNamesAreCutToTenCharactersDeterministicallyAndStayUnique()
    {
        Assert.Equal(["id", "occurred_a", "occurred_1", "OCCURRED_2", "severity"], ShapefileZipWriter.FieldNames(["id", "occurred_at", "occurred_after", "OCCURRED_AGAIN", "severity"]));
        Assert.Equal(ShapefileZipWriter.FieldNames(["occurred_at", "occurred_after"]), ShapefileZipWriter.FieldNames(["occurred_at", "occurred_after"]));
    }

    [Fact]
    public async Task AZippedShapefileReadsBackWithTheSameGeometriesAndValues()
    {
        foreach (var (layer, features) in new[] { (ExportSamples.Points, ExportSamples.PointFeatures()), (ExportSamples.Areas, ExportSamples.AreaFeatures()) })
        {
            using var source = new ShapefileSource(await WriteZipAsync(layer, features));
            var names = ShapefileZipWriter.FieldNames(["id", .. layer.Fields.Select(f => f.Name)]);
            Assert.Equal("shapefile", source.Format);
            Assert.Equal("EPSG:4326", source.DeclaredCrs);
            Assert.Equal(names, source.Columns);
            Assert.Equal(features.Count, source.Count);
            var read = source.Read(CancellationToken.None).ToList();
            Assert.Equal(1, source.Progress);
            Assert.Equal(features.Count, read.Count);
            for (var i = 0; i < features.Count; i++)
            {
                Assert.Null(read[i].Problem);
                Assert.Equal(i + 1, read[i].Row);
                Assert.True(features[i].Geometry!.Normalized().EqualsExact(read[i].Geometry!.Normalized()), $"{features[i].Geometry} read as {read[i].Geometry}");
                Assert.Equal(features[i].Id, read[i].Attributes["id"]);
                for (var f = 0; f < layer.Fields.Count; f++)
                {
                    var expected = AsStored(features[i].Values[f]);
                    var actual = read[i].Attributes[names[f + 1]];
                    if (expected is double d) Assert.Equal(d, Convert.ToDouble(actual, CultureInfo.InvariantCulture), 9);
                    else Assert.Equal(expected, actual);
                }
            }
        }
    }

    [Fact]
    public async Task AnUnzippedShapefileWithAProjectedPrjExposesItsWktAndItsCodePage()
    {
        var zip = await WriteZipAsync(ExportSamples.Points, ExportSamples.PointFeatures());
        var dir = _dir.CreateSubdirectory("plain");
        System.IO.Compression.ZipFile.ExtractToDirectory(zip, dir.FullName);
        var shp = Path.Combine(dir.FullName, "sample_points.shp");
        using (var source = new ShapefileSource(shp))
        {
            Assert.Equal("EPSG:4326", source.DeclaredCrs);
            Assert.Equal("西区 \"东门\", 路口", source.Read(CancellationToken.None).First().Attributes["name"]);
        }

        const string gaussKruger = "PROJCS[\"CGCS2000_3_Degree_GK_CM_114E\",GEOGCS[\"GCS_China_Geodetic_Coordinate_System_2000\"]]";
        await File.WriteAllTextAsync(Path.ChangeExtension(shp, ".prj"), gaussKruger);
        File.Delete(Path.ChangeExtension(shp, ".cpg"));
        using (var source = new ShapefileSource(shp))
        {
            Assert.Equal("WKT:" + gaussKruger, source.DeclaredCrs);
            Assert.Equal("西区 \"东门\", 路口", source.Read(CancellationToken.None).First().Attributes["name"]);
        }
        File.Delete(Path.ChangeExtension(shp, ".prj"));
        using (var source = new ShapefileSource(shp)) Assert.Null(source.DeclaredCrs);
    }

    [Fact]
    public void TheCpgCodePageDecodesChineseText()
    {
        var shp = Path.Combine(_dir.FullName, "gbk.shp");
        var options = new NetTopologySuite.IO.Esri.Shapefiles.Writers.ShapefileWriterOptions(NetTopologySuite.IO.Esri.ShapeType.Point,
            new NetTopologySuite.IO.Esri.Dbf.Fields.DbfCharacterField("name", 50))
        {
            Encoding = System.Text.CodePagesEncodingProvider.Instance.GetEncoding(936)!,
        };
        using (var writer = NetTopologySuite.IO.Esri.Shapefile.OpenWrite(shp, options))
        {
            writer.Geometry = SituationMap.Analysis.Geometry.Wgs84.Point(118, 41);
            writer.Fields[0].Value = "西区派出所";
            writer.Write();
        }
        File.WriteAllText(Path.ChangeExtension(shp, ".cpg"), "936");
        using var source = new ShapefileSource(shp);
        Assert.Equal("西区派出所", source.Read(CancellationToken.None).Single().Attributes["name"]);
    }

    [Fact]
    public void WellKnownWgs84PrjSpellingsAreEpsg4326()
    {
        Assert.Equal("EPSG:4326", ShapefileSource.CrsOf(ShapefileZipWriter.Wgs84Prj));
        Assert.Equal("EPSG:4326", ShapefileSource.CrsOf(GeoPackageWriter.Wgs84Definition));
        Assert.StartsWith("WKT:PROJCS", ShapefileSource.CrsOf("PROJCS[\"WGS_1984_Web_Mercator_Auxiliary_Sphere\",GEOGCS[\"GCS_WGS_1984\"]]"));
        Assert.Null(ShapefileSource.CrsOf("  "));
    }

    [Fact]
    public void AZipWithoutAShapefileIsRefused()
    {
        var zip = Path.Combine(_dir.FullName, "empty.zip");
        using (var archive = System.IO.Compression.ZipFile.Open(zip, System.IO.Compression.ZipArchiveMode.Create)) archive.CreateEntry("readme.txt");
        Assert.Throws<InvalidDataException>(() => new ShapefileSource(zip));
    }
}
