using System.Globalization;
using NetTopologySuite.Geometries;
using SituationMap.Analysis.Geometry;
using SituationMap.Analysis.Hotspots;
using Xunit.Abstractions;

namespace SituationMap.Analysis.Tests.Hotspots;

/// <summary>
/// The real Chicago crimes of 2018-01-01 .. 2018-08-08 (156,385 incidents, ../shared/geodata-external/chicago-crimes-2018),
/// projected to UTM 16N with <see cref="MetricProjection"/> and counted on a 500 m hexagon grid. Cells without any crime
/// (Lake Michigan, O'Hare's airfield, the suburbs) are left out of the study area. When the data are absent the test
/// writes SKIPPED to its output and returns.
/// </summary>
public sealed class ChicagoCrimeHotspotTests(ITestOutputHelper output)
{
    private static readonly (string Name, double Longitude, double Latitude) Loop = ("the Loop, State and Madison", -87.6278, 41.8819);
    private static readonly (string Name, double Longitude, double Latitude) WestGarfieldPark = ("West Garfield Park", -87.7290, 41.8810);
    private static readonly (string Name, double Longitude, double Latitude) Austin = ("Austin", -87.7650, 41.8940);
    private static readonly (string Name, double Longitude, double Latitude) EdisonPark = ("Edison Park", -87.8140, 42.0080);
    private static readonly (string Name, double Longitude, double Latitude) MountGreenwood = ("Mount Greenwood", -87.7100, 41.6980);

    [Fact]
    public void GiStarLocalMoranAndDensityFindTheLoopAndTheWestSideHotAndRepeatExactlyWhenTheCrimeDataArePresent()
    {
        var (folder, reason) = ExternalData.Locate("chicago-crimes-2018");
        if (folder is null)
        {
            output.WriteLine(reason);
            return;
        }
        var projection = MetricProjection.ForLocation(-87.7, 41.85);
        var (x, y) = ReadProjected(folder, projection);
        Assert.InRange(x.Length, 156_000, 156_385);

        var extent = new Envelope();
        for (var i = 0; i < x.Length; i++) extent.ExpandToInclude(x[i], y[i]);
        var grid = new HexGrid(extent, 500);
        var counts = grid.Count(x, y);
        Assert.Equal(x.Length, counts.Sum());
        var cells = Enumerable.Range(0, grid.CellCount).Where(c => counts[c] > 0).ToArray();
        var values = cells.Select(c => (double)counts[c]).ToArray();
        var centroids = cells.Select(grid.Centroid).ToArray();
        output.WriteLine($"{x.Length} crimes in {cells.Length} of {grid.CellCount} hexagons of 500 m");
        int Unit((string Name, double Longitude, double Latitude) place)
        {
            var c = projection.ToMetric(place.Longitude, place.Latitude);
            var unit = Array.IndexOf(cells, grid.CellOf(c.X, c.Y));
            Assert.True(unit >= 0, $"{place.Name} has no crime cell");
            return unit;
        }

        // Gi*: the two rings of neighbours (500 m and 866/1000 m; 1001 m absorbs the centroids' rounding), FDR-corrected
        var band = SpatialWeights.DistanceBand(centroids, 1001);
        var gi = GetisOrdGiStar.Compute(values, band, falseDiscoveryRate: true);
        foreach (var place in new[] { Loop, WestGarfieldPark, Austin, EdisonPark, MountGreenwood })
        {
            var u = Unit(place);
            output.WriteLine($"{place.Name}: {values[u]} crimes, Gi* z = {gi.Z[u]:F2}, {gi.Bins[u]}");
        }
        Assert.Equal(HotSpotBin.Hot99, gi.Bins[Unit(Loop)]);
        Assert.Equal(HotSpotBin.Hot99, gi.Bins[Unit(WestGarfieldPark)]);
        Assert.True(gi.Bins[Unit(Austin)] > 0);
        Assert.True(gi.Bins[Unit(EdisonPark)] < 0);
        Assert.True(gi.Bins[Unit(MountGreenwood)] < 0);
        Assert.Equal(gi.Z, GetisOrdGiStar.Compute(values, SpatialWeights.DistanceBand(centroids, 1001), falseDiscoveryRate: true).Z);

        // LISA: the six adjacent hexagons, row-standardised, 499 seeded conditional permutations
        var ring = SpatialWeights.DistanceBand(centroids, 501);
        var lisa = LocalMoran.Compute(values, ring, permutations: 499, seed: 2018);
        var clusters = lisa.Clusters(0.05);
        Assert.Equal(MoranQuadrant.HighHigh, clusters[Unit(Loop)]);
        Assert.Equal(MoranQuadrant.HighHigh, clusters[Unit(WestGarfieldPark)]);
        Assert.Equal(MoranQuadrant.LowLow, clusters[Unit(EdisonPark)]);
        var again = LocalMoran.Compute(values, ring, permutations: 499, seed: 2018);
        Assert.Equal(lisa.PseudoP, again.PseudoP);
        Assert.Equal(lisa.ZSimulated, again.ZSimulated);
        output.WriteLine($"LISA: {clusters.Count(c => c == MoranQuadrant.HighHigh)} HH and {clusters.Count(c => c == MoranQuadrant.LowLow)} LL cells at p ≤ 0.05");

        // kernel density (quartic, ArcGIS's default bandwidth) peaks within 1 km of State and Madison
        var density = KernelDensity.Estimate(x, y, RasterGrid.Covering(extent, 100));
        var peak = density.Maximum();
        var loop = projection.ToMetric(Loop.Longitude, Loop.Latitude);
        var distance = loop.Distance(new Coordinate(density.Grid.CellCentreX(peak.Column), density.Grid.CellCentreY(peak.Row)));
        output.WriteLine($"density: bandwidth {density.Bandwidth:F0} m, peak {peak.Density:F0} per km², {distance:F0} m from State and Madison");
        Assert.InRange(distance, 0, 1000);
        Assert.Equal(x.Length, density.Total(), x.Length * 0.01);
    }

    /// <summary>Latitude and longitude are the last two columns; rows without both are skipped.</summary>
    private static (double[] X, double[] Y) ReadProjected(string folder, MetricProjection projection)
    {
        var x = new List<double>();
        var y = new List<double>();
        foreach (var file in Directory.GetFiles(folder, "chicago_crimes_2018-*.csv").Order(StringComparer.Ordinal))
        {
            foreach (var line in File.ReadLines(file).Skip(1))
            {
                var last = line.LastIndexOf(',');
                if (last <= 0) continue;
                var previous = line.LastIndexOf(',', last - 1);
                if (!double.TryParse(line.AsSpan(previous + 1, last - previous - 1), NumberStyles.Float, CultureInfo.InvariantCulture, out var latitude)
                    || !double.TryParse(line.AsSpan(last + 1), NumberStyles.Float, CultureInfo.InvariantCulture, out var longitude))
                {
                    continue;
                }
                var metric = projection.ToMetric(longitude, latitude);
                x.Add(metric.X);
                y.Add(metric.Y);
            }
        }
        return ([.. x], [.. y]);
    }
}
