using NetTopologySuite.Geometries;
using NetTopologySuite.IO;
using SituationMap.Analysis.Coverage;
using SituationMap.Analysis.Domain;

namespace SituationMap.Analysis.Tests.Coverage;

/// <summary>Coverage fractions on rectangles and triangles whose areas are known exactly; tolerance 10⁻⁹ m² (only
/// floating-point rounding separates the overlay from the hand-computed areas).</summary>
public sealed class CoverageReportTests
{
    private static readonly WKTReader Wkt = new();
    private const double Tolerance = 1e-9;

    private static NetTopologySuite.Geometries.Geometry Rect(double x0, double y0, double x1, double y1) =>
        Wkt.Read(FormattableString.Invariant($"POLYGON (({x0} {y0}, {x1} {y0}, {x1} {y1}, {x0} {y1}, {x0} {y0}))"));

    // A: a 100 m school square in "north"; B: a triangle (5,000 m²) of a crowded place in "north"; C: a 50 m school square in "south"
    private static readonly CoverageZone[] Zones =
    [
        new("A", Rect(0, 0, 100, 100), ZoneKind.School, 1.0, "north"),
        new("B", Wkt.Read("POLYGON ((200 0, 300 0, 200 100, 200 0))"), ZoneKind.CrowdedPublicPlace, 0.8, "north"),
        new("C", Rect(400, 0, 450, 50), ZoneKind.School, 1.0, "south"),
    ];

    private static readonly NetTopologySuite.Geometries.Geometry[] Views =
    [
        Rect(0, 0, 50, 100),        // half of A
        Rect(25, 0, 50, 60),        // inside the first: overlaps count once
        Rect(200, -20, 250, 120),   // B's part with x ≤ 250: 5,000 − 50²/2 = 3,750 m²
        Rect(1000, 1000, 1010, 1010), // meets no zone
    ];

    [Fact]
    public void CoveredFractionsShortfallsAndBlindSpotsMatchTheHandComputedAreas()
    {
        var report = CoverageReport.Compute(Zones, Views);
        var a = report.Zones[0];
        Assert.Equal(10_000, a.AreaM2, Tolerance);
        Assert.Equal(5_000, a.CoveredM2, Tolerance);
        Assert.Equal(0.5, a.CoveredFraction, Tolerance);
        Assert.Equal(0.5, a.Shortfall, Tolerance);
        Assert.Equal(2, a.ViewCount);
        Assert.True(a.BlindSpot.EqualsTopologically(Rect(50, 0, 100, 100)));
        var b = report.Zones[1];
        Assert.Equal(5_000, b.AreaM2, Tolerance);
        Assert.Equal(3_750, b.CoveredM2, Tolerance);
        Assert.Equal(0.05, b.Shortfall, Tolerance);
        Assert.Equal(1_250, b.BlindSpot.Area, Tolerance);
        var c = report.Zones[2];
        Assert.Equal(0, c.CoveredM2);
        Assert.Equal(1, c.Shortfall);
        Assert.True(c.BlindSpot.EqualsTopologically(Zones[2].Area));
    }

    [Fact]
    public void AggregatesAreAreaWeightedPerKindPerDistrictAndInTotal()
    {
        var report = CoverageReport.Compute(Zones, Views);
        Assert.Equal(8_750.0 / 17_500, report.Total.CoveredFraction, Tolerance);
        Assert.Equal(5_000.0 / 12_500, report.ByKind[ZoneKind.School].CoveredFraction, Tolerance);
        Assert.Equal(0.75, report.ByKind[ZoneKind.CrowdedPublicPlace].CoveredFraction, Tolerance);
        Assert.Equal(8_750.0 / 15_000, report.ByDistrict["north"].CoveredFraction, Tolerance);
        Assert.Equal(0, report.ByDistrict["south"].CoveredFraction);
        Assert.Equal(2, report.ByDistrict["north"].Zones);
        Assert.Equal(3, report.Total.ZonesBelowTarget);
        Assert.Equal(new[] { "C", "A", "B" }, report.BelowTarget.Select(z => z.Id));
        Assert.Equal(report.Total.CoveredM2, report.ByDistrict.Values.Sum(d => d.CoveredM2), Tolerance);
    }

    [Fact]
    public void AZoneAtItsTargetIsNotBelowTargetAndHasNoShortfall()
    {
        var zone = new CoverageZone("R", Rect(0, 0, 100, 100), ZoneKind.ResidentialCommunity, 0.7);
        var report = CoverageReport.Compute([zone], [Rect(0, 0, 70, 100)]);
        Assert.Equal(0.7, report.Zones[0].CoveredFraction, Tolerance);
        Assert.Equal(0, report.Zones[0].Shortfall, Tolerance);
        Assert.Empty(report.BelowTarget);
        Assert.Equal(0.7, CoverageZone.WithDefaultTarget("R", zone.Area, ZoneKind.ResidentialCommunity).TargetFraction);
    }

    [Fact]
    public void IncidentWeightedCoverageCountsTheIncidentsInsideEachZoneThatFallInTheViews()
    {
        var incidents = new[]
        {
            new Coordinate(10, 10),   // A, covered
            new Coordinate(50, 50),   // A, on the view's edge: covered
            new Coordinate(60, 50),   // A, blind
            new Coordinate(75, 75),   // A, blind
            new Coordinate(210, 10),  // B, covered
            new Coordinate(500, 500), // in no zone
        };
        var report = CoverageReport.Compute(Zones, Views, incidents);
        Assert.Equal(4, report.Zones[0].Incidents);
        Assert.Equal(2, report.Zones[0].IncidentsCovered);
        Assert.Equal(0.5, report.Zones[0].IncidentCoveredFraction);
        Assert.Equal(1.0, report.Zones[1].IncidentCoveredFraction);
        Assert.Null(report.Zones[2].IncidentCoveredFraction);
        Assert.Equal(5, report.Total.Incidents);
        Assert.Equal(0.6, report.Total.IncidentCoveredFraction!.Value, Tolerance);
    }

    [Fact]
    public void InvalidViewsAndZonesAreRepairedInsteadOfFailing()
    {
        var bowtie = Wkt.Read("POLYGON ((0 0, 100 100, 100 0, 0 100, 0 0))"); // two triangles of 2,500 m² each
        Assert.False(bowtie.IsValid);
        var report = CoverageReport.Compute([new CoverageZone("A", Rect(0, 0, 100, 100), ZoneKind.School, 1)], [bowtie, Rect(0, 0, 10, 10)]);
        Assert.Equal(5_000 + 2 * 50 / 2.0, report.Zones[0].CoveredM2, 1e-6); // + the half of the 10 m square below the diagonal, outside the bow tie
        var invalidZone = CoverageReport.Compute([new CoverageZone("Z", bowtie, ZoneKind.School, 1)], [Rect(0, 0, 50, 100)]);
        Assert.Equal(5_000, invalidZone.Zones[0].AreaM2, 1e-6);
        Assert.Equal(2_500, invalidZone.Zones[0].CoveredM2, 1e-6);
    }

    [Fact]
    public void NoViewsMeansNoCoverageAndTargetsOutsideZeroToOneAreRefused()
    {
        var report = CoverageReport.Compute(Zones, []);
        Assert.All(report.Zones, z => Assert.Equal(0, z.CoveredM2));
        Assert.Equal(0, report.Total.CoveredFraction);
        Assert.ThrowsAny<ArgumentException>(() => CoverageReport.Compute([new CoverageZone("X", Rect(0, 0, 1, 1), ZoneKind.School, 1.5)], []));
    }

    [Fact]
    public void CameraViewsFromTheViewshedFeedTheReport()
    {
        // a dome camera in the middle of a 200 m square zone with a 50 m range: π·50² (1 chord per degree) of 40,000 m²
        var zone = new CoverageZone("P", Rect(-100, -100, 100, 100), ZoneKind.CrowdedPublicPlace, 0.8);
        var viewshed = new CameraViewshed();
        var views = viewshed.Views([
            new CameraSpec(new Coordinate(0, 0), 0, 360, 50, CameraKind.Dome),
            new CameraSpec(new Coordinate(0, 0), 0, 360, 80, CameraKind.Dome, Status: CameraStatus.Offline),
        ]);
        var report = CoverageReport.Compute([zone], views);
        var expected = Math.PI * 2_500 * (1 - Math.Pow(Math.PI / 180, 2) / 6);
        Assert.Equal(expected / 40_000, report.Zones[0].CoveredFraction, 1e-9);
    }
}
