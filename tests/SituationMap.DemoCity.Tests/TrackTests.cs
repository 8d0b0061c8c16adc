using SituationMap.Analysis.Geometry;

namespace SituationMap.DemoCity.Tests;

public sealed class TrackTests
{
    private static readonly DemoCityLayers Layers = DemoCityGenerator.GenerateLayers(new DemoCityOptions { IncidentCount = 0 });

    [Fact]
    public void EveryUnitGetsATrackThatEndsWhereAndWhenItWasLastSeen()
    {
        var tracks = DemoCityGenerator.GenerateTracks(Layers, TimeSpan.FromHours(2), TimeSpan.FromMinutes(1))
            .GroupBy(p => p.CallSign).ToDictionary(g => g.Key, g => g.ToList());
        Assert.Equal(Layers.PatrolUnits.Count, tracks.Count);
        var projection = MetricProjection.ForLocation(114.9, 40.8);
        foreach (var unit in Layers.PatrolUnits)
        {
            var track = tracks[unit.CallSign];
            Assert.Equal(121, track.Count);
            Assert.Equal(unit.LastSeen, track[^1].RecordedAt);
            Assert.True(track.Zip(track.Skip(1)).All(p => p.Second.RecordedAt - p.First.RecordedAt == TimeSpan.FromMinutes(1)));
            var end = projection.ToMetric(track[^1].Location);
            Assert.True(end.Distance(projection.ToMetric(unit.Position)) < 1.0, $"{unit.CallSign} ends {end.Distance(projection.ToMetric(unit.Position)):0.0} m from its position");
        }
    }

    [Fact]
    public void UnitsMoveAtTheSpeedOfTheirModeAlongTheirRoute()
    {
        var projection = MetricProjection.ForLocation(114.9, 40.8);
        var routes = Layers.PatrolRoutes.Select(r => projection.ToMetric(r.Geometry)).ToList();
        foreach (var track in DemoCityGenerator.GenerateTracks(Layers, TimeSpan.FromMinutes(30), TimeSpan.FromMinutes(1)).GroupBy(p => p.CallSign))
        {
            var points = track.Select(p => projection.ToMetric(p.Location)).ToList();
            var speed = track.First().SpeedMps;
            Assert.Contains(speed, new[] { 8.0, 4.0, 1.3 });
            // straight-line steps can cut corners, never exceed the distance travelled along the road
            Assert.All(points.Zip(points.Skip(1)), p => Assert.True(p.First.Distance(p.Second) <= (speed * 60) + 0.5));
            Assert.All(points, p => Assert.True(routes.Min(r => r.Distance(p)) < 0.5, "every track point lies on a route"));
        }
    }

    [Fact]
    public void TracksAreDeterministic() =>
        Assert.Equal(
            DemoCityGenerator.GenerateTracks(Layers, TimeSpan.FromHours(1), TimeSpan.FromMinutes(5)).Select(p => p.Location.ToText()),
            DemoCityGenerator.GenerateTracks(DemoCityGenerator.GenerateLayers(new DemoCityOptions { IncidentCount = 5 }), TimeSpan.FromHours(1), TimeSpan.FromMinutes(5)).Select(p => p.Location.ToText()));
}
