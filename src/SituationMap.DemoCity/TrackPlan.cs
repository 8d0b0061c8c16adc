using NetTopologySuite.Geometries;
using SituationMap.Analysis.Domain;
using SituationMap.Analysis.Geometry;

namespace SituationMap.DemoCity;

/// <summary>
/// Track history for the demo units: each unit patrols the nearest route of its level and mode at a speed typical of
/// the mode, so its track ends exactly where and when the unit was last seen. Deterministic (no randomness).
/// </summary>
internal static class TrackPlan
{
    public static IEnumerable<DemoTrackPoint> Generate(DemoCityLayers layers, TimeSpan history, TimeSpan interval)
    {
        if (layers.PatrolRoutes.Count == 0) yield break;
        var projection = MetricProjection.ForExtent(layers.PatrolRoutes[0].Geometry.EnvelopeInternal);
        var routes = layers.PatrolRoutes
            .Select(r => (r.Level, r.Mode, Walker: new RouteWalker(RouteWalker.MainLine(projection.ToMetric(r.Geometry)))))
            .ToList();
        foreach (var unit in layers.PatrolUnits)
        {
            var at = projection.ToMetric(unit.Position.X, unit.Position.Y);
            var walker = RouteWalker.NearestTo(routes.Where(r => r.Level == unit.Level && r.Mode == unit.Mode).DefaultIfEmpty(routes[0]).Select(r => r.Walker), at);
            var start = walker.Locate(at);
            var forward = HeadingDifference(walker.At(start).HeadingDeg, unit.HeadingDeg) < 90;
            var speed = PatrolSpeeds.Nominal(unit.Mode);
            var steps = (int)(history / interval);
            for (var k = steps; k >= 0; k--)
            {
                var secondsBefore = k * interval.TotalSeconds;
                var (metric, heading) = walker.At(start - ((forward ? 1 : -1) * speed * secondsBefore), forward);
                var wgs84 = projection.ToWgs84(metric.X, metric.Y);
                yield return new DemoTrackPoint(unit.CallSign, unit.LastSeen.AddSeconds(-secondsBefore),
                    Wgs84.Factory.CreatePoint(new Coordinate(Math.Round(wgs84.X, 7), Math.Round(wgs84.Y, 7))),
                    speed, Math.Round(heading, 1) % 360);
            }
        }
    }

    private static double HeadingDifference(double a, double b)
    {
        var d = Math.Abs(a - b) % 360;
        return d > 180 ? 360 - d : d;
    }
}
