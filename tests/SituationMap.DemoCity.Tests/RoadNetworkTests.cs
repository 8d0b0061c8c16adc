using NetTopologySuite.Geometries;
using NetTopologySuite.Index.Strtree;
using static SituationMap.DemoCity.Tests.DemoCityUnderTest;

namespace SituationMap.DemoCity.Tests;

public sealed class RoadNetworkTests
{
    private static readonly Dictionary<string, int> SpeedByClass = new(StringComparer.Ordinal)
    {
        ["trunk"] = 80,
        ["primary"] = 60,
        ["secondary"] = 50,
        ["tertiary"] = 40,
        ["residential"] = 30,
    };

    [Fact]
    public void TheNetworkHasARealisticNumberOfSegmentsOfEveryClass()
    {
        var roads = Layers.Roads;
        Assert.InRange(roads.Count, 3_000, 8_000);
        foreach (var roadClass in SpeedByClass.Keys) Assert.Contains(roads, r => r.Class == roadClass);
        Assert.All(roads, r =>
        {
            Assert.Equal(SpeedByClass[r.Class], r.MaxSpeedKmh);
            Assert.False(string.IsNullOrWhiteSpace(r.Name));
            Assert.Matches("^[A-Z][A-Za-z' -]+$", r.NameEn);
            Assert.True(r.Geometry.IsValid && r.Geometry.NumPoints >= 2);
        });
        // residential streets are the majority, as in any city
        Assert.InRange(roads.Count(r => r.Class == "residential") / (double)roads.Count, 0.35, 0.75);
    }

    [Fact]
    public void SegmentsMeetOnlyAtSharedEndpoints()
    {
        // tolerance: an endpoint within 0.5 m of another segment must be exactly one of that segment's endpoints,
        // and two segments may only intersect at endpoints they share
        var roads = Layers.Roads;
        var metric = roads.Select(r => Metric(r.Geometry)).ToArray();
        var tree = new STRtree<int>();
        for (var r = 0; r < metric.Length; r++) tree.Insert(metric[r].EnvelopeInternal, r);
        tree.Build();
        var problems = new List<string>();
        for (var r = 0; r < roads.Count; r++)
        {
            var ends = new[] { roads[r].Geometry.StartPoint.Coordinate, roads[r].Geometry.EndPoint.Coordinate };
            var near = metric[r].EnvelopeInternal.Copy();
            near.ExpandBy(0.5);
            foreach (var q in tree.Query(near))
            {
                if (q <= r || !metric[r].Intersects(metric[q]) && metric[r].Distance(metric[q]) > 0.5) continue;
                var qEnds = new[] { roads[q].Geometry.StartPoint.Coordinate, roads[q].Geometry.EndPoint.Coordinate };
                var meeting = roads[r].Geometry.Intersection(roads[q].Geometry);
                var ok = !meeting.IsEmpty && meeting is Point p && ends.Any(e => e.Equals2D(p.Coordinate)) && qEnds.Any(e => e.Equals2D(p.Coordinate));
                if (!ok) problems.Add($"{roads[r].Name} / {roads[q].Name}: {meeting.AsText()}");
            }
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems.Take(10)));
    }

    [Fact]
    public void OneComponentHoldsAtLeastNinetyFivePercentOfTheSegments()
    {
        var roads = Layers.Roads;
        var ids = new Dictionary<(double, double), int>();
        int Id(Coordinate c)
        {
            if (!ids.TryGetValue((c.X, c.Y), out var id)) ids[(c.X, c.Y)] = id = ids.Count;
            return id;
        }
        var edges = roads.Select(r => (Id(r.Geometry.StartPoint.Coordinate), Id(r.Geometry.EndPoint.Coordinate))).ToArray();
        var parent = Enumerable.Range(0, ids.Count).ToArray();
        int Find(int n) => parent[n] == n ? n : parent[n] = Find(parent[n]);
        foreach (var (a, b) in edges) parent[Find(a)] = Find(b);
        var largest = edges.GroupBy(e => Find(e.Item1)).Max(g => g.Count());
        Assert.True(largest >= 0.95 * roads.Count, $"largest component holds {largest} of {roads.Count} segments");
    }

    [Fact]
    public void TheTrunkRingRoadIsAClosedLoopAroundTheCentre()
    {
        var trunk = Layers.Roads.Where(r => r.Class == "trunk").ToList();
        var lengthKm = trunk.Sum(r => Metric(r.Geometry).Length) / 1e3;
        Assert.InRange(lengthKm, 12, 35);
        // every trunk endpoint is shared by exactly two trunk segments: a cycle
        var ends = trunk.SelectMany(r => new[] { r.Geometry.StartPoint.Coordinate, r.Geometry.EndPoint.Coordinate })
            .GroupBy(c => (c.X, c.Y)).Select(g => g.Count()).ToList();
        Assert.All(ends, n => Assert.Equal(2, n));
        var ringCentre = new GeometryCollection(trunk.Select(r => (Geometry)Metric(r.Geometry)).ToArray()).Centroid;
        Assert.True(ringCentre.Distance(Metric(City.Centroid)) < 3_000, "the ring road is not around the centre");
    }

    [Fact]
    public void AFewLocalStreetsAreOneWay()
    {
        var oneWay = Layers.Roads.Where(r => r.OneWay).ToList();
        Assert.InRange(oneWay.Count / (double)Layers.Roads.Count, 0.005, 0.08);
        Assert.All(oneWay, r => Assert.Equal("residential", r.Class));
    }

    [Fact]
    public void LocalStreetsAreDenseInTheCoreAndSparseOutward()
    {
        var centre = Metric(City.Centroid);
        double Density(double fromKm, double toKm)
        {
            var length = Layers.Roads.Where(r => r.Class is "residential" or "tertiary")
                .Select(r => Metric(r.Geometry)).Where(g => g.Centroid.Distance(centre) is var d && d >= fromKm * 1e3 && d < toKm * 1e3)
                .Sum(g => g.Length);
            return length / 1e3 / (Math.PI * ((toKm * toKm) - (fromKm * fromKm)));
        }
        var core = Density(0, 3); // km of local street per km²
        var outskirts = Density(8, 11);
        Assert.True(core > 6, $"core local-street density {core:F1} km/km²");
        Assert.True(core > 8 * outskirts, $"core {core:F1} vs outskirts {outskirts:F1} km/km²");
    }
}
