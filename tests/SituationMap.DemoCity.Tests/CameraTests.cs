using NetTopologySuite.Geometries;
using SituationMap.Analysis.Domain;
using SituationMap.Analysis.Geometry;
using static SituationMap.DemoCity.Tests.DemoCityUnderTest;

namespace SituationMap.DemoCity.Tests;

public sealed class CameraTests
{
    [Fact]
    public void ThereAreExactlyTheRequestedNumberOfCameras()
    {
        Assert.Equal(Options.CameraCount, Layers.Cameras.Count);
        Assert.Equal(1_500, Layers.Cameras.Count);
        Assert.Equal(Layers.Cameras.Count, Layers.Cameras.Select(c => c.Name[..8]).Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void CameraValuesAreInRange()
    {
        var earliest = Options.YearEnd.AddYears(-8);
        Assert.All(Layers.Cameras, c =>
        {
            Assert.Matches(@"^CAM-\d{4} \S+$", c.Name);
            Assert.InRange(c.HeadingDeg, 0, 359.999);
            Assert.InRange(c.FieldOfViewDeg, 1e-9, 360);
            Assert.InRange(c.RangeM, 30, 150);
            Assert.InRange(c.RangeM, 1e-9, 1_000);
            Assert.InRange(c.MountingHeightM, 3, 12);
            Assert.InRange(c.InstalledAt, earliest, Options.YearEnd);
            Assert.EndsWith("派出所", c.OwnerUnit, StringComparison.Ordinal);
            Assert.NotNull(c.DistrictCode);
            switch (c.Kind)
            {
                case CameraKind.Fixed: Assert.InRange(c.FieldOfViewDeg, 50, 110); break;
                case CameraKind.Ptz: Assert.Equal(360, c.FieldOfViewDeg); break;
                default: Assert.InRange(c.FieldOfViewDeg, 90, 360); break;
            }
        });
    }

    [Fact]
    public void StatusAndKindSharesAreInTheStatedBands()
    {
        double Share(Func<DemoCamera, bool> predicate) => Layers.Cameras.Count(predicate) / (double)Layers.Cameras.Count;
        Assert.InRange(Share(c => c.Status == CameraStatus.Online), 0.91, 0.95);
        Assert.InRange(Share(c => c.Status == CameraStatus.Offline), 0.04, 0.06);
        Assert.InRange(Share(c => c.Status == CameraStatus.Fault), 0.01, 0.03);
        Assert.InRange(Share(c => c.Kind == CameraKind.Fixed), 0.65, 0.75);
        Assert.InRange(Share(c => c.Kind == CameraKind.Ptz), 0.11, 0.19);
        Assert.InRange(Share(c => c.Kind == CameraKind.Dome), 0.11, 0.19);
    }

    [Fact]
    public void PrivacyMasksAreSmallAndInsideTheCameraView()
    {
        var masked = Layers.Cameras.Where(c => c.PrivacyMasks is not null).ToList();
        Assert.InRange(masked.Count, 3, 40);
        Assert.All(masked, c =>
        {
            Assert.True(c.PrivacyMasks!.IsValid);
            var mask = Metric(c.PrivacyMasks);
            Assert.InRange(mask.Area, 1, 0.25 * Math.PI * c.RangeM * c.RangeM);
            // tolerance: 2 % of the range and 3° either side (grid north differs from true north by ~1.4° here)
            Assert.True(ViewSector(c, 1.02, 3).Covers(mask), $"{c.Name}: mask outside the view");
        });
    }

    [Fact]
    public void CamerasCrowdAroundKeyPlacesAndLeaveVillagesAndFringesUnderCovered()
    {
        double PerKm2(params ZoneKind[] kinds)
        {
            var zones = Layers.Zones.Where(z => kinds.Contains(z.Kind)).Select(z => Metric(z.Area).Buffer(15)).ToList();
            var area = zones.Sum(z => z.Area) / 1e6;
            var count = Layers.Cameras.Count(c => zones.Any(z => z.Covers(Metric(c.Location))));
            return count / area;
        }
        var key = PerKm2(ZoneKind.KeyFacility, ZoneKind.CrowdedPublicPlace);
        var villages = PerKm2(ZoneKind.UrbanVillage);
        var fringes = PerKm2(ZoneKind.UrbanRuralFringe);
        var city = Layers.Cameras.Count / (Metric(City).Area / 1e6);
        var communities = PerKm2(ZoneKind.ResidentialCommunity);
        Assert.True(key > 10 * villages, $"key places {key:F0}/km² vs urban villages {villages:F0}/km²");
        Assert.True(villages < communities, $"urban villages {villages:F0}/km² vs residential communities {communities:F0}/km²");
        Assert.True(fringes < city, $"fringes {fringes:F1}/km² vs the city average {city:F1}/km²");
    }

    [Fact]
    public void RoadsideCamerasLookAlongTheRoad()
    {
        // fixed cameras within 10 m of roads point along one of them: within 25° of its bearing, either way
        var index = new NetTopologySuite.Index.Strtree.STRtree<LineString>();
        foreach (var r in Layers.Roads)
        {
            var line = Metric(r.Geometry);
            index.Insert(line.EnvelopeInternal, line);
        }
        var aligned = 0;
        var total = 0;
        foreach (var c in Layers.Cameras.Where(c => c.Kind == CameraKind.Fixed))
        {
            var p = Metric(c.Location);
            var search = new Envelope(p.Coordinate);
            search.ExpandBy(10);
            var near = index.Query(search).Where(r => r.Distance(p) <= 10).ToList();
            if (near.Count == 0) continue;
            total++;
            if (near.Any(road => AngleToRoad(road, p, c.HeadingDeg) <= 25)) aligned++;
        }
        Assert.True(total > 500, $"only {total} fixed cameras stand by a road");
        Assert.True(aligned > 0.9 * total, $"{aligned} of {total} roadside fixed cameras look along the road");
    }

    /// <summary>Angle (0–90°) between a compass heading and the road piece nearest to p (grid bearing; grid north
    /// and true north differ by about 1.4° here).</summary>
    private static double AngleToRoad(LineString road, Point p, double heading)
    {
        var segment = Enumerable.Range(1, road.NumPoints - 1)
            .Select(k => new LineSegment(road.GetCoordinateN(k - 1), road.GetCoordinateN(k)))
            .MinBy(s => s.Distance(p.Coordinate))!;
        var bearing = Math.Atan2(segment.P1.X - segment.P0.X, segment.P1.Y - segment.P0.Y) * 180 / Math.PI;
        var difference = (((heading - bearing) % 180) + 180) % 180;
        return Math.Min(difference, 180 - difference);
    }

    private static Polygon ViewSector(DemoCamera c, double rangeFactor, double extraDegrees)
    {
        var origin = Metric(c.Location).Coordinate;
        var range = c.RangeM * rangeFactor;
        if (c.FieldOfViewDeg >= 360) return (Polygon)Metric(c.Location).Buffer(range, 32);
        var ring = new List<Coordinate> { origin };
        var from = c.HeadingDeg - (c.FieldOfViewDeg / 2) - extraDegrees;
        var to = c.HeadingDeg + (c.FieldOfViewDeg / 2) + extraDegrees;
        for (var b = from; b <= to + 1e-9; b += (to - from) / 32)
        {
            var r = b * Math.PI / 180;
            ring.Add(new Coordinate(origin.X + (range * Math.Sin(r)), origin.Y + (range * Math.Cos(r))));
        }
        ring.Add(origin);
        return Projection.Factory.CreatePolygon([.. ring]);
    }
}
