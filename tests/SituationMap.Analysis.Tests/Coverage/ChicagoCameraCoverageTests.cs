using System.Globalization;
using NetTopologySuite.Geometries;
using SituationMap.Analysis.Coverage;
using SituationMap.Analysis.Domain;
using SituationMap.Analysis.Geometry;
using SituationMap.Analysis.Hotspots;
using SituationMap.Analysis.Tests.Hotspots;
using Xunit.Abstractions;

namespace SituationMap.Analysis.Tests.Coverage;

/// <summary>
/// The City of Chicago's red-light (149 intersections) and speed (160) enforcement cameras against the 277 police beats
/// (../shared/geodata-external/chicago-cameras and chicago-police-boundaries), projected to UTM 16N.
/// <para>
/// Each monitored approach is one fixed camera at the listed point. An approach is named by the direction the traffic
/// travels ("NB" = north-bound); the camera watches that traffic coming towards it, so it faces the opposite way: NB → 180°
/// (south), SB → 0°, EB → 270°, WB → 90°, NEB → 225°, NWB → 135°, SEB → 315°, SWB → 45° (the data set's SOURCE.md reads
/// it the same way). Field of view 60°, range 100 m — an assumption (the data hold no optics); the data have no
/// building footprints, so there is no occlusion. Zones: the beats (kind district, target 1 %, district = the police
/// district). Incidents: the Chicago homicides 2001–2018 with real coordinates. When the data are absent the test
/// writes SKIPPED to its output and returns.
/// </para>
/// </summary>
public sealed class ChicagoCameraCoverageTests(ITestOutputHelper output)
{
    private const double FieldOfViewDeg = 60;
    private const double RangeM = 100;

    /// <summary>Camera heading (compass degrees) for an approach named by the direction of travel; null when unknown.</summary>
    public static double? HeadingForApproach(string approach) => approach.Trim().ToUpperInvariant() switch
    {
        "NB" => 180,
        "SB" => 0,
        "EB" => 270,
        "WB" => 90,
        "NEB" => 225,
        "NWB" => 135,
        "SEB" => 315,
        "SWB" => 45,
        _ => null,
    };

    [Fact]
    public void ApproachesFaceTheOncomingTraffic()
    {
        Assert.Equal(180, HeadingForApproach("NB"));
        Assert.Equal(90, HeadingForApproach("wb"));
        Assert.Null(HeadingForApproach("NA"));
        // a north-bound approach's camera sees a car 50 m south of the intersection, not one 50 m north of it
        var view = CameraViewshed.Compute(new CameraSpec(new Coordinate(0, 0), HeadingForApproach("NB")!.Value, FieldOfViewDeg, RangeM));
        Assert.True(view.Covers(view.Factory.CreatePoint(new Coordinate(0, -50))));
        Assert.False(view.Covers(view.Factory.CreatePoint(new Coordinate(0, 50))));
    }

    [Fact]
    public void CoverageOfThePoliceBeatsByTheEnforcementCamerasRunsEndToEndWithSaneNumbersWhenTheDataArePresent()
    {
        var (cameraFolder, cameraReason) = ExternalData.Locate("chicago-cameras");
        var (beatFolder, beatReason) = ExternalData.Locate("chicago-police-boundaries");
        if (cameraFolder is null || beatFolder is null)
        {
            output.WriteLine(cameraFolder is null ? cameraReason : beatReason);
            return;
        }
        var projection = MetricProjection.ForLocation(-87.7, 41.85);
        Assert.Equal(32616, projection.EpsgCode);

        var beatShapes = PolygonShapefile.Read(Path.Combine(beatFolder, "police_beats_current.shp"), Wgs84.Factory);
        var dbf = DbaseFile.Read(Path.Combine(beatFolder, "police_beats_current.dbf"));
        Assert.Equal(277, beatShapes.Count);
        Assert.Equal(beatShapes.Count, dbf.RecordCount);
        var beatNumbers = dbf.Text("beat_num");
        var districts = dbf.Text("district");
        // two beat numbers appear twice (275 distinct): those ids get their record number
        var ids = beatNumbers.Select((b, i) => beatNumbers.Count(other => other == b) > 1 ? $"{b}#{i}" : b).ToArray();
        var zones = beatShapes.Select((shape, i) => new CoverageZone(ids[i], projection.ToMetric(shape), ZoneKind.District, 0.01, districts[i])).ToArray();
        var cityArea = zones.Sum(z => z.Area.Area) / 1e6;
        output.WriteLine($"{zones.Length} beats, {cityArea:F1} km²");
        Assert.InRange(cityArea, 550, 700); // Chicago: 606 km² of land

        var cameras = ReadCameras(cameraFolder, projection);
        output.WriteLine($"{cameras.Count} approach cameras at {cameras.Select(c => c.Site).Distinct().Count()} sites");
        Assert.InRange(cameras.Count, 500, 600);   // 300 red-light approaches + about 250 speed-camera approaches
        var viewshed = new CameraViewshed(factory: projection.Factory);
        var views = viewshed.Views([.. cameras.Select(c => c.Camera)]);
        var incidents = ReadHomicides(projection);
        var report = CoverageReport.Compute(zones, views, incidents);

        var units = new PolygonUnits([.. zones.Select(z => z.Area)]);
        var beatsWithCameras = cameras.Select(c => units.UnitOf(c.Camera.Position.X, c.Camera.Position.Y)).Where(u => u >= 0).Distinct().ToList();
        output.WriteLine($"{beatsWithCameras.Count} beats contain a camera; {report.Zones.Count(z => z.CoveredM2 > 0)} are covered somewhere");
        Assert.True(beatsWithCameras.Count > 100);
        foreach (var b in beatsWithCameras)
        {
            Assert.InRange(report.Zones[b].CoveredFraction, 1e-6, 1 - 1e-6);
        }
        foreach (var zone in report.Zones.Where(z => z.ViewCount == 0)) Assert.Equal(0, zone.CoveredM2);

        // totals are consistent: per beat, per district and overall; the union of the views bounds the covered area
        Assert.Equal(report.Zones.Sum(z => z.CoveredM2), report.Total.CoveredM2, 1e-3);
        Assert.Equal(report.Total.CoveredM2, report.ByDistrict.Values.Sum(d => d.CoveredM2), 1e-3);
        Assert.Equal(report.Total.AreaM2, report.ByKind[ZoneKind.District].AreaM2, 1e-3);
        var union = NetTopologySuite.Operation.OverlayNG.OverlayNGRobust.Union(views.Where(v => !v.IsEmpty).ToList(), projection.Factory);
        var oneView = Math.PI * RangeM * RangeM * FieldOfViewDeg / 360;
        output.WriteLine($"views: {views.Length} × {oneView:F0} m² = {views.Length * oneView / 1e6:F3} km², union {union.Area / 1e6:F3} km², " +
            $"covered inside beats {report.Total.CoveredM2 / 1e6:F3} km² = {report.Total.CoveredFraction:P3} of the city");
        Assert.True(union.Area <= views.Sum(v => v.Area) + 1e-3);
        Assert.InRange(report.Total.CoveredM2, 0.9 * union.Area, union.Area * 1.001);
        Assert.InRange(report.Total.CoveredFraction, 1e-4, 0.01);

        // incident-weighted coverage: homicides inside a camera's 100 m wedge, as a share of those in the beats
        output.WriteLine($"homicides: {incidents.Count} read, {report.Total.Incidents} in beats, {report.Total.IncidentsCovered} in a camera view " +
            $"({report.Total.IncidentCoveredFraction:P2} vs {report.Total.CoveredFraction:P3} of the area)");
        if (incidents.Count > 0)
        {
            Assert.InRange(report.Total.Incidents, 9_000, 9_265);
            Assert.InRange(report.Total.IncidentsCovered, 1, report.Total.Incidents / 10);
        }

        foreach (var (district, aggregate) in report.ByDistrict.OrderByDescending(d => d.Value.CoveredFraction).Take(5))
        {
            output.WriteLine($"district {district}: {aggregate.Zones} beats, {aggregate.CoveredFraction:P3} covered, {aggregate.ZonesBelowTarget} below 1 %");
        }
        Assert.Equal(report.Zones.Count(z => z.BelowTarget), report.BelowTarget.Count);
        Assert.True(report.BelowTarget.Zip(report.BelowTarget.Skip(1)).All(p => p.First.Shortfall >= p.Second.Shortfall));

        // recommend 10 more cameras among 8 headings at every existing site, weighted by homicide density per beat
        var sites = cameras.GroupBy(c => c.Site).Select(g => (Site: g.Key, Position: g.First().Camera.Position)).ToList();
        var options = sites.SelectMany(s => Enumerable.Range(0, 8).Select(h => new PlacementOption(s.Site, h * 45,
            viewshed.View(new CameraSpec(s.Position, h * 45, FieldOfViewDeg, RangeM))))).ToList();
        var meanDensity = (double)report.Total.Incidents / report.Total.AreaM2;
        var density = report.Zones.ToDictionary(z => z.Id, z => z.AreaM2 > 0 && meanDensity > 0 ? z.Incidents / z.AreaM2 / meanDensity : 1);
        var placement = new CameraPlacement(report.Zones, options, new PlacementSettings { SampleSpacingM = 5, ZoneWeightFactors = density });
        var lazy = placement.Greedy(10);
        var plain = placement.Greedy(10, lazy: false);
        Assert.Equal(plain.Picks.Select(p => p.OptionIndex), lazy.Picks.Select(p => p.OptionIndex));
        Assert.Equal(10, lazy.Picks.Count);
        Assert.Equal(10, lazy.Picks.Select(p => p.Option.SiteId).Distinct().Count());
        foreach (var pick in lazy.Picks)
        {
            output.WriteLine($"{pick.Option.SiteId} heading {pick.Option.HeadingDeg:F0}°: +{pick.GainWeighted:F0} weighted m², {pick.NewlyCoveredM2:F0} m² new, " +
                string.Join(", ", pick.Zones.Select(z => $"beat {z.ZoneId} {z.FractionBefore:P2} → {z.FractionAfter:P2}")));
            Assert.True(pick.NewlyCoveredM2 > 0 && pick.NewlyCoveredM2 <= oneView * 1.15);
        }
        output.WriteLine($"{placement.SampleCount} sample points, {lazy.GainEvaluations} lazy vs {plain.GainEvaluations} plain gain evaluations");
    }

    private static List<(string Site, CameraSpec Camera)> ReadCameras(string folder, MetricProjection projection)
    {
        var cameras = new List<(string, CameraSpec)>();
        void Add(string site, string latitude, string longitude, IEnumerable<string> approaches)
        {
            var position = projection.ToMetric(double.Parse(longitude, CultureInfo.InvariantCulture), double.Parse(latitude, CultureInfo.InvariantCulture));
            foreach (var approach in approaches)
            {
                if (HeadingForApproach(approach) is { } heading) cameras.Add((site, new CameraSpec(position, heading, FieldOfViewDeg, RangeM)));
            }
        }
        // INTERSECTION,FIRST APPROACH,SECOND APPROACH,THIRD APPROACH,GO LIVE DATE,LATITUDE,LONGITUDE,LOCATION
        foreach (var row in Csv(Path.Combine(folder, "Red_Light_Camera_Locations.csv"))) Add("red-light " + row[0], row[5], row[6], row[1..4]);
        // ID,LOCATION ID,ADDRESS,FIRST APPROACH,SECOND APPROACH,GO-LIVE DATE,LATITUDE,LONGITUDE,LOCATION
        foreach (var row in Csv(Path.Combine(folder, "Speed_Camera_Locations.csv"))) Add("speed " + row[1], row[6], row[7], row[3..5]);
        return cameras;
    }

    /// <summary>Homicide points with real coordinates (the portal's fake Missouri geocode and empty ones left out).</summary>
    private List<Coordinate> ReadHomicides(MetricProjection projection)
    {
        var (folder, reason) = ExternalData.Locate("chicago-homicides");
        if (folder is null)
        {
            output.WriteLine(reason);
            return [];
        }
        var points = new List<Coordinate>();
        foreach (var row in Csv(Path.Combine(folder, "chicago-homicides-2001-2018.csv")))
        {
            if (!double.TryParse(row[19], NumberStyles.Float, CultureInfo.InvariantCulture, out var latitude)
                || !double.TryParse(row[20], NumberStyles.Float, CultureInfo.InvariantCulture, out var longitude)
                || latitude is < 41.6 or > 42.1 || longitude is < -88 or > -87.5)
            {
                continue;
            }
            points.Add(projection.ToMetric(longitude, latitude));
        }
        return points;
    }

    /// <summary>Rows after the header (BOM stripped), fields split on commas outside double quotes.</summary>
    private static IEnumerable<string[]> Csv(string path)
    {
        foreach (var line in File.ReadLines(path).Skip(1))
        {
            if (line.Length == 0) continue;
            var fields = new List<string>();
            var field = new System.Text.StringBuilder();
            var quoted = false;
            foreach (var ch in line)
            {
                if (ch == '"') quoted = !quoted;
                else if (ch == ',' && !quoted)
                {
                    fields.Add(field.ToString());
                    field.Clear();
                }
                else field.Append(ch);
            }
            fields.Add(field.ToString());
            yield return [.. fields];
        }
    }
}
