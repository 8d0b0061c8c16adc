using System.Diagnostics;
using System.Globalization;
using System.Text;
using NetTopologySuite.IO;
using OsmSharp.Streams;
using SituationMap.Analysis.Osm;
using SituationMap.Analysis.Tests.Hotspots;
using Xunit.Abstractions;

namespace SituationMap.Analysis.Tests.Osm;

public sealed class OsmBuildingReaderTests(ITestOutputHelper output)
{
    /// <summary>Nodes on a 0.001° grid near Vaduz; a house (2 levels), an office (height 12.5 m), a shed tagged
    /// building=no, an unclosed "building", and a courtyard block as a multipolygon whose outer ring is split in two ways.</summary>
    private const string Xml = """
        <?xml version="1.0" encoding="UTF-8"?>
        <osm version="0.6">
          <node id="1" lat="47.140" lon="9.520"/><node id="2" lat="47.140" lon="9.521"/>
          <node id="3" lat="47.141" lon="9.521"/><node id="4" lat="47.141" lon="9.520"/>
          <node id="11" lat="47.150" lon="9.530"/><node id="12" lat="47.150" lon="9.533"/>
          <node id="13" lat="47.153" lon="9.533"/><node id="14" lat="47.153" lon="9.530"/>
          <node id="21" lat="47.151" lon="9.531"/><node id="22" lat="47.151" lon="9.532"/>
          <node id="23" lat="47.152" lon="9.532"/><node id="24" lat="47.152" lon="9.531"/>
          <way id="100"><nd ref="1"/><nd ref="2"/><nd ref="3"/><nd ref="4"/><nd ref="1"/>
            <tag k="building" v="house"/><tag k="building:levels" v="2"/></way>
          <way id="101"><nd ref="1"/><nd ref="2"/><nd ref="3"/><nd ref="1"/>
            <tag k="building" v="office"/><tag k="height" v="12.5 m"/><tag k="building:levels" v="3"/></way>
          <way id="102"><nd ref="1"/><nd ref="2"/><nd ref="3"/><nd ref="1"/><tag k="building" v="no"/></way>
          <way id="103"><nd ref="1"/><nd ref="2"/><nd ref="3"/><tag k="building" v="yes"/></way>
          <way id="200"><nd ref="11"/><nd ref="12"/><nd ref="13"/></way>
          <way id="201"><nd ref="13"/><nd ref="14"/><nd ref="11"/></way>
          <way id="202"><nd ref="21"/><nd ref="22"/><nd ref="23"/><nd ref="24"/><nd ref="21"/></way>
          <relation id="300">
            <member type="way" ref="200" role="outer"/><member type="way" ref="201" role="outer"/>
            <member type="way" ref="202" role="inner"/>
            <tag k="type" v="multipolygon"/><tag k="building" v="apartments"/>
          </relation>
        </osm>
        """;

    private static IReadOnlyList<OsmBuilding> ReadXml()
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(Xml));
        return OsmBuildingReader.Read(new XmlOsmStreamSource(stream));
    }

    [Fact]
    public void ClosedBuildingWaysAndMultipolygonsBecomeFootprintsWithLevelsAndHeights()
    {
        var buildings = ReadXml();
        Assert.Equal(["w100", "w101", "r300"], buildings.Select(b => b.Ref));
        var house = buildings[0];
        Assert.Equal(("house", 2, 6.0), (house.Building, house.Levels, house.HeightM!.Value));
        Assert.Equal(4326, house.Footprint.SRID);
        Assert.True(house.Footprint.EqualsTopologically(new WKTReader().Read("POLYGON ((9.52 47.14, 9.521 47.14, 9.521 47.141, 9.52 47.141, 9.52 47.14))")));
        Assert.Equal(("office", 3, 12.5), (buildings[1].Building, buildings[1].Levels, buildings[1].HeightM!.Value));
        var block = buildings[2];
        Assert.Equal(("apartments", (int?)null, (double?)null), (block.Building, block.Levels, block.HeightM));
        Assert.Single(block.Footprint.Geometries);
        Assert.Equal(1, ((NetTopologySuite.Geometries.Polygon)block.Footprint[0]).NumInteriorRings);
        Assert.Equal((0.003 * 0.003) - (0.001 * 0.001), block.Footprint.Area, 1e-12);
    }

    [Theory]
    [InlineData("3", 3)]
    [InlineData(" 2.5 ", 3)]
    [InlineData("0", 0)]
    [InlineData("many", null)]
    [InlineData("-1", null)]
    [InlineData("500", null)]
    public void LevelsAreWholeNumbersUpTo200(string value, int? levels) => Assert.Equal(levels, OsmBuildingReader.ParseLevels(value));

    [Theory]
    [InlineData("12", 12.0)]
    [InlineData("12.5 m", 12.5)]
    [InlineData("7m", 7.0)]
    [InlineData("40'", null)]
    [InlineData("0", null)]
    [InlineData("tall", null)]
    public void HeightsAreMetres(string value, double? height) => Assert.Equal(height, OsmBuildingReader.ParseHeight(value));

    /// <summary>
    /// The Liechtenstein extract (osm2pgsql's test data, 2013): the count matches GDAL's OSM driver (ogrinfo, installed
    /// with gdal-bin by scripts/test.sh) — its multipolygons layer holds the closed building ways and building multipolygons.
    /// </summary>
    [Fact]
    public void TheLiechtensteinExtractHasAsManyBuildingsAsGdalFindsAndTheKnownFootprints()
    {
        var (folder, reason) = ExternalData.Locate("osm-liechtenstein");
        if (folder is null)
        {
            output.WriteLine(reason);
            return;
        }
        var path = Path.Combine(folder, "liechtenstein-2013-08-03.osm.pbf");
        var buildings = OsmBuildingReader.Read(path);
        var gdal = OgrCount(path, "SELECT COUNT(*) FROM multipolygons WHERE building IS NOT NULL AND building <> 'no'");
        output.WriteLine($"{buildings.Count} buildings read, GDAL counts {gdal}");
        Assert.Equal(gdal, buildings.Count);
        Assert.Equal(buildings.Count, buildings.Select(b => b.Ref).Distinct().Count());
        Assert.All(buildings, b => Assert.True(b.Footprint.IsValid && b.Footprint.Area > 0, b.Ref));

        // way 431, the Mehrzweckhalle (a school), as GDAL reads it
        var hall = buildings.Single(b => b.Ref == "w431");
        Assert.Equal("school", hall.Building);
        var expected = new WKTReader().Read(
            "MULTIPOLYGON (((9.516519 47.15018, 9.516004 47.150075, 9.516184 47.149678, 9.516717 47.149783, 9.516519 47.15018)))");
        // ogrinfo prints 6 decimals (≈ 0.1 m); same vertices, whatever the start or direction
        Assert.True(hall.Footprint.Normalized().EqualsExact(expected.Normalized(), 1e-6), hall.Footprint.AsText());
        // relation 52, Schloss Vaduz: a multipolygon building
        var castle = buildings.Single(b => b.Ref == "r52");
        Assert.Equal("yes", castle.Building);
        Assert.InRange(castle.Footprint.Centroid.X, 9.523, 9.526);
        Assert.InRange(castle.Footprint.Centroid.Y, 47.138, 47.141);
    }

    private static int OgrCount(string path, string sql)
    {
        var start = new ProcessStartInfo("ogrinfo", ["-q", "-ro", path, "-sql", sql]) { RedirectStandardOutput = true, RedirectStandardError = true };
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("ogrinfo (GDAL) is missing: install the Debian package gdal-bin (scripts/test.sh does).", e);
        }
        using (process)
        {
            var text = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            var line = text.Split('\n').Single(l => l.Contains("(Integer) =", StringComparison.Ordinal));
            return int.Parse(line[(line.IndexOf('=', StringComparison.Ordinal) + 1)..].Trim(), CultureInfo.InvariantCulture);
        }
    }
}
