using NetTopologySuite.Geometries;
using SituationMap.Analysis.Domain;
using static SituationMap.DemoCity.Tests.DemoCityUnderTest;

namespace SituationMap.DemoCity.Tests;

public sealed class PatrolTests
{
    [Fact]
    public void RoutesRunOnRoadEdges()
    {
        // every route vertex is a road vertex and every route edge is an edge of some road (exact coordinates)
        var roadEdges = new HashSet<(double, double, double, double)>();
        foreach (var road in Layers.Roads)
        {
            var c = road.Geometry.Coordinates;
            for (var k = 1; k < c.Length; k++)
            {
                roadEdges.Add((c[k - 1].X, c[k - 1].Y, c[k].X, c[k].Y));
                roadEdges.Add((c[k].X, c[k].Y, c[k - 1].X, c[k - 1].Y));
            }
        }
        var roadVertices = Layers.Roads.SelectMany(r => r.Geometry.Coordinates).Select(c => (c.X, c.Y)).ToHashSet();
        Assert.All(Layers.PatrolRoutes, route =>
        {
            foreach (var line in route.Geometry.Geometries.Cast<LineString>())
            {
                var c = line.Coordinates;
                Assert.All(c, v => Assert.Contains((v.X, v.Y), roadVertices));
                for (var k = 1; k < c.Length; k++)
                {
                    Assert.True(roadEdges.Contains((c[k - 1].X, c[k - 1].Y, c[k].X, c[k].Y)), $"{route.Name}: edge {k} is not a road edge");
                }
            }
        });
    }

    [Theory]
    [InlineData(PatrolLevel.City, 10.0, 25.0)]
    [InlineData(PatrolLevel.District, 4.0, 12.0)]
    [InlineData(PatrolLevel.Community, 1.5, 5.0)]
    public void RouteLengthsMatchTheirLevel(PatrolLevel level, double minKm, double maxKm)
    {
        var routes = Layers.PatrolRoutes.Where(r => r.Level == level).ToList();
        Assert.NotEmpty(routes);
        Assert.All(routes, r =>
        {
            Assert.InRange(Metric(r.Geometry).Length / 1e3, minKm, maxKm);
            Assert.True(r.Geometry.Geometries.Cast<LineString>().All(l => l.IsClosed), $"{r.Name} is not a loop");
        });
    }

    [Fact]
    public void EachLevelHasTheExpectedNumberOfRoutes()
    {
        var routes = Layers.PatrolRoutes;
        Assert.InRange(routes.Count(r => r.Level == PatrolLevel.City), 4, 6);
        foreach (var district in Layers.Districts)
        {
            Assert.InRange(routes.Count(r => r.Level == PatrolLevel.District && r.DistrictCode == district.Code), 2, 3);
            Assert.InRange(routes.Count(r => r.Level == PatrolLevel.Community && r.DistrictCode == district.Code), 2, 5);
        }
    }

    [Fact]
    public void RoutesHaveModesShiftsStatusesAndOwnersFittingTheirLevel()
    {
        var routes = Layers.PatrolRoutes;
        Assert.All(routes, r =>
        {
            Assert.NotEmpty(r.Shifts);
            Assert.All(r.Shifts, s => Assert.InRange(s.Duration, TimeSpan.FromHours(3), TimeSpan.FromHours(12)));
            Assert.False(string.IsNullOrWhiteSpace(r.OwnerUnit));
            switch (r.Level)
            {
                case PatrolLevel.City:
                    Assert.Null(r.DistrictCode);
                    Assert.Equal(PatrolMode.Vehicle, r.Mode);
                    break;
                case PatrolLevel.District:
                    Assert.NotNull(r.DistrictCode);
                    Assert.Contains(r.Mode, new[] { PatrolMode.Vehicle, PatrolMode.Bicycle });
                    break;
                default:
                    Assert.NotNull(r.DistrictCode);
                    Assert.Contains(r.Mode, new[] { PatrolMode.Foot, PatrolMode.Bicycle });
                    Assert.EndsWith("派出所", r.OwnerUnit, StringComparison.Ordinal);
                    break;
            }
        });
        Assert.InRange(routes.Count(r => r.Status == PatrolRouteStatus.Active) / (double)routes.Count, 0.8, 0.95);
        // a day shift and a night shift cover the city routes around the clock
        Assert.All(routes.Where(r => r.Level == PatrolLevel.City), r => Assert.Equal(TimeSpan.FromHours(24), TimeSpan.FromTicks(r.Shifts.Sum(s => s.Duration.Ticks))));
    }

    [Fact]
    public void SixtyUnitsPatrolTheRoutesOfTheirLevel()
    {
        var units = Layers.PatrolUnits;
        Assert.Equal(60, units.Count);
        Assert.Equal(units.Count, units.Select(u => u.CallSign).Distinct(StringComparer.Ordinal).Count());
        var routes = Layers.PatrolRoutes.Select(r => (Route: r, Metric: Metric(r.Geometry))).ToList();
        Assert.All(units, u =>
        {
            Assert.Matches(@"^[A-Z]{2}-[123]\d{1,2}$", u.CallSign);
            Assert.StartsWith((u.DistrictCode ?? "SJ") + "-" + (int)u.Level, u.CallSign, StringComparison.Ordinal);
            // tolerance: 1 m from a route of the unit's level, mode and district
            var position = Metric(u.Position);
            Assert.Contains(routes, r => r.Route.Level == u.Level && r.Route.Mode == u.Mode && r.Route.DistrictCode == u.DistrictCode && r.Metric.Distance(position) < 1);
            Assert.InRange(u.LastSeen, Options.YearEnd.AddHours(-12), Options.YearEnd);
            Assert.InRange(u.HeadingDeg, 0, 359.999);
            var maxSpeed = u.Mode switch { PatrolMode.Vehicle => 20, PatrolMode.Bicycle => 7, _ => 2.5 };
            Assert.InRange(u.SpeedMps, 0, maxSpeed);
            if (u.Status == PatrolUnitStatus.OffDuty) Assert.Equal(0, u.SpeedMps);
            if (u.Status == PatrolUnitStatus.Busy) Assert.True(u.SpeedMps > 0);
        });
        foreach (var level in Enum.GetValues<PatrolLevel>()) Assert.Contains(units, u => u.Level == level);
        double Share(PatrolUnitStatus s) => units.Count(u => u.Status == s) / (double)units.Count;
        Assert.InRange(Share(PatrolUnitStatus.Available), 0.55, 0.65);
        Assert.InRange(Share(PatrolUnitStatus.Busy), 0.20, 0.30);
        Assert.InRange(Share(PatrolUnitStatus.OffDuty), 0.10, 0.20);
    }
}
