using System.Globalization;
using NetTopologySuite.Geometries;
using SituationMap.Analysis.Geometry;
using SituationMap.Analysis.Hotspots;
using Xunit.Abstractions;

namespace SituationMap.Analysis.Tests.Hotspots;

/// <summary>
/// The real Chicago crimes of 2018-01-01 .. 2018-08-08 (156,385 incidents, ../shared/geodata-external/chicago-crimes-2018),
/// projected with the <see cref="MetricProjection"/> of the data's own extent (UTM 16N, as the server chooses it for its
/// analysis area) and counted on hexagon grids. Cells without any crime (Lake Michigan, O'Hare's airfield, the suburbs)
/// are left out of the study area. When the data are absent each test writes SKIPPED to its output and returns.
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
        var (projection, x, y, _) = ReadProjected(folder);
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
        // a re-run gives the same surface, bit for bit (the FFT convolution has no hidden state)
        var rerun = KernelDensity.Estimate(x, y, RasterGrid.Covering(extent, 100));
        Assert.Equal(density.Bandwidth, rerun.Bandwidth);
        Assert.True(density.Values.AsSpan().SequenceEqual(rerun.Values), "the density surface changed between two runs on the same data");
    }

    [Fact]
    public void EmergingHotspotsOverWeeklyStepsFindTheWestSideHotAndRepeatExactlyWhenTheCrimeDataArePresent()
    {
        var (folder, reason) = ExternalData.Locate("chicago-crimes-2018");
        if (folder is null)
        {
            output.WriteLine(reason);
            return;
        }
        var (projection, x, y, time) = ReadProjected(folder);
        Assert.Equal(32616, projection.EpsgCode); // UTM 16N, from the data's extent

        // 31 whole weeks, Monday 2018-01-01 .. Sunday 2018-08-05 (the three days after are left out); 1 km hexagons
        const int steps = 31;
        var start = new DateTime(2018, 1, 1, 0, 0, 0, DateTimeKind.Unspecified);
        var extent = new Envelope();
        for (var i = 0; i < x.Length; i++) extent.ExpandToInclude(x[i], y[i]);
        var grid = new HexGrid(extent, 1000);
        var gridCell = new List<int>();
        var stepOf = new List<int>();
        for (var i = 0; i < x.Length; i++)
        {
            var step = (int)Math.Floor((time[i] - start).TotalDays / 7);
            if (step is < 0 or >= steps) continue;
            gridCell.Add(grid.CellOf(x[i], y[i]));
            stepOf.Add(step);
        }
        var kept = gridCell.Distinct().Order().ToArray();
        var unitOf = new Dictionary<int, int>();
        for (var u = 0; u < kept.Length; u++) unitOf[kept[u]] = u;
        var units = gridCell.Select(g => unitOf[g]).ToArray();
        var cube = SpaceTimeCube.FromEvents(units, [.. stepOf], kept.Length, steps);
        Assert.Equal(units.Length, (int)cube.Values.ToArray().Sum());
        var centroids = kept.Select(grid.Centroid).ToArray();
        var w = SpatialWeights.DistanceBand(centroids, 1001); // the six adjacent hexagons
        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        var result = EmergingHotspots.Analyse(cube, w);
        output.WriteLine($"{units.Length} crimes in {kept.Length} hexagons of 1 km × {steps} weeks: emerging hot spots in {stopwatch.ElapsedMilliseconds} ms");
        foreach (var group in result.Patterns.GroupBy(p => p).OrderBy(g => g.Key)) output.WriteLine($"  {group.Key}: {group.Count()}");

        int Unit((string Name, double Longitude, double Latitude) place)
        {
            var c = projection.ToMetric(place.Longitude, place.Latitude);
            var unit = Array.IndexOf(kept, grid.CellOf(c.X, c.Y));
            Assert.True(unit >= 0, $"{place.Name} has no crime cell");
            return unit;
        }
        foreach (var place in new[] { Loop, WestGarfieldPark, Austin, EdisonPark, MountGreenwood })
        {
            var u = Unit(place);
            output.WriteLine($"{place.Name}: {result.Patterns[u]}, trend τ = {result.Trends[u].Tau:F2} (p = {result.Trends[u].PTwoSided:F3}), last z = {result.ZSeries(u)[^1]:F2}");
        }
        // the West Side's and the Loop's crime is there every week: hot in at least 90 % of the weeks and in the last one
        Assert.Contains(result.Patterns[Unit(WestGarfieldPark)], HotEveryWeek);
        Assert.Contains(result.Patterns[Unit(Loop)], HotEveryWeek);
        // the quiet north-west and south-west corners are never hot spots
        Assert.DoesNotContain(result.Patterns[Unit(EdisonPark)], HotPatterns);
        Assert.DoesNotContain(result.Patterns[Unit(MountGreenwood)], HotPatterns);
        Assert.Contains(result.Patterns, p => HotPatterns.Contains(p));
        Assert.Contains(result.Patterns, p => !HotPatterns.Contains(p) && p != EmergingPattern.NoPattern);

        // the same cube gives the same answer, bin for bin
        var again = EmergingHotspots.Analyse(cube, SpatialWeights.DistanceBand(centroids, 1001));
        Assert.Equal(result.Z, again.Z);
        Assert.Equal(result.Patterns, again.Patterns);
    }

    private static readonly EmergingPattern[] HotEveryWeek =
        [EmergingPattern.PersistentHotSpot, EmergingPattern.IntensifyingHotSpot, EmergingPattern.DiminishingHotSpot];

    private static readonly EmergingPattern[] HotPatterns =
    [
        EmergingPattern.NewHotSpot, EmergingPattern.ConsecutiveHotSpot, EmergingPattern.IntensifyingHotSpot, EmergingPattern.PersistentHotSpot,
        EmergingPattern.DiminishingHotSpot, EmergingPattern.SporadicHotSpot, EmergingPattern.OscillatingHotSpot, EmergingPattern.HistoricalHotSpot,
    ];

    /// <summary>
    /// The date is the first column, latitude and longitude the last two; rows without a position are skipped. The
    /// projection is chosen from the data's extent (<see cref="MetricProjection.ForExtent"/>), as the server does for
    /// its districts.
    /// </summary>
    private static (MetricProjection Projection, double[] X, double[] Y, DateTime[] Time) ReadProjected(string folder)
    {
        var lon = new List<double>();
        var lat = new List<double>();
        var time = new List<DateTime>();
        foreach (var file in Directory.GetFiles(folder, "chicago_crimes_2018-*.csv").Order(StringComparer.Ordinal))
        {
            foreach (var line in File.ReadLines(file).Skip(1))
            {
                var last = line.LastIndexOf(',');
                if (last <= 0) continue;
                var previous = line.LastIndexOf(',', last - 1);
                var first = line.IndexOf(',', StringComparison.Ordinal);
                if (!double.TryParse(line.AsSpan(previous + 1, last - previous - 1), NumberStyles.Float, CultureInfo.InvariantCulture, out var latitude)
                    || !double.TryParse(line.AsSpan(last + 1), NumberStyles.Float, CultureInfo.InvariantCulture, out var longitude)
                    || !DateTime.TryParseExact(line.AsSpan(0, Math.Max(first, 0)), "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.None, out var at))
                {
                    continue;
                }
                lon.Add(longitude);
                lat.Add(latitude);
                time.Add(at);
            }
        }
        var extent = new Envelope();
        for (var i = 0; i < lon.Count; i++) extent.ExpandToInclude(lon[i], lat[i]);
        var projection = MetricProjection.ForExtent(extent);
        var x = new double[lon.Count];
        var y = new double[lon.Count];
        for (var i = 0; i < x.Length; i++)
        {
            var metric = projection.ToMetric(lon[i], lat[i]);
            (x[i], y[i]) = (metric.X, metric.Y);
        }
        return (projection, x, y, [.. time]);
    }
}
