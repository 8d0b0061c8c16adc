using NetTopologySuite.Geometries;
using SituationMap.Analysis.Coverage;
using SituationMap.Analysis.Domain;
using Xunit.Abstractions;

namespace SituationMap.Analysis.Tests.Coverage;

/// <summary>
/// Random camera edits (seeded): after every edit the incremental per-zone results must equal a full recomputation
/// (areas within 10⁻⁶ m² + 10⁻⁹ relative — the union may add the same polygons in another order; incident counts exactly),
/// while only the zones near the edited camera are recomputed.
/// </summary>
public sealed class IncrementalCoverageTests(ITestOutputHelper output)
{
    private static readonly GeometryFactory Factory = new();

    private static NetTopologySuite.Geometries.Geometry Rect(double x0, double y0, double x1, double y1) =>
        Factory.CreatePolygon([new(x0, y0), new(x1, y0), new(x1, y1), new(x0, y1), new(x0, y0)]);

    private static (CoverageZone[] Zones, List<NetTopologySuite.Geometries.Geometry> Buildings, Coordinate[] Incidents) City(Random random)
    {
        // 8 × 8 zones of 100 m plus one large overlapping zone; a building in each zone's lower-left quarter
        var zones = new List<CoverageZone>();
        var buildings = new List<NetTopologySuite.Geometries.Geometry>();
        var kinds = Enum.GetValues<ZoneKind>();
        for (var i = 0; i < 8; i++)
        {
            for (var j = 0; j < 8; j++)
            {
                var kind = kinds[random.Next(kinds.Length)];
                zones.Add(new CoverageZone($"z{i}-{j}", Rect(i * 100, j * 100, i * 100 + 100, j * 100 + 100), kind, random.NextDouble(), $"d{i / 4}{j / 4}"));
                buildings.Add(Rect(i * 100 + 10, j * 100 + 10, i * 100 + 40, j * 100 + 35));
            }
        }
        zones.Add(new CoverageZone("big", Rect(150, 150, 550, 450), ZoneKind.DisorderHotspotArea, 0.5, "d00"));
        var incidents = Enumerable.Range(0, 2_000).Select(_ => new Coordinate(random.NextDouble() * 800, random.NextDouble() * 800)).ToArray();
        return ([.. zones], buildings, incidents);
    }

    private static CameraSpec RandomCamera(Random random)
    {
        // outside the buildings: x or y within 40..100 of its block
        var x = random.Next(8) * 100 + 45 + random.NextDouble() * 50;
        var y = random.Next(8) * 100 + random.NextDouble() * 100;
        if (random.Next(2) == 0) (x, y) = (y, x);
        var kind = random.Next(5) == 0 ? CameraKind.Ptz : CameraKind.Fixed;
        return new CameraSpec(new Coordinate(x, y), random.NextDouble() * 360, 20 + random.NextDouble() * 100, 20 + random.NextDouble() * 100, kind);
    }

    [Fact]
    public void IncrementalCoverageEqualsAFullRecomputationAfterEveryRandomEdit()
    {
        foreach (var seed in new[] { 1, 2 })
        {
            var random = new Random(seed);
            var (zones, buildings, incidents) = City(random);
            var viewshed = new CameraViewshed(buildings);
            var views = new Dictionary<string, NetTopologySuite.Geometries.Geometry?>();
            for (var c = 0; c < 60; c++) views[$"cam{c}"] = viewshed.View(RandomCamera(random));
            var incremental = new IncrementalCoverage(zones, views, incidents);
            AssertSame(CoverageReport.Compute(zones, [.. views.Values.OfType<NetTopologySuite.Geometries.Geometry>()], incidents), incremental);

            var next = 60;
            var recomputed = 0;
            const int Edits = 50;
            for (var e = 0; e < Edits; e++)
            {
                var existing = views.Keys.ToList();
                string id;
                NetTopologySuite.Geometries.Geometry? view;
                switch (random.Next(4))
                {
                    case 0: // remove (or the camera went offline)
                        id = existing[random.Next(existing.Count)];
                        view = null;
                        break;
                    case 1: // a new camera
                        id = $"cam{next++}";
                        view = viewshed.View(RandomCamera(random));
                        break;
                    default: // move or re-aim one
                        id = existing[random.Next(existing.Count)];
                        view = viewshed.View(RandomCamera(random));
                        break;
                }
                var before = incremental.Zones.ToArray();
                var touched = incremental.UpdateCamera(id, view);
                recomputed += touched.Count;
                if (view is null) views.Remove(id);
                else views[id] = view;
                var full = CoverageReport.Compute(zones, [.. views.Values.OfType<NetTopologySuite.Geometries.Geometry>()], incidents);
                AssertSame(full, incremental);
                for (var z = 0; z < zones.Length; z++)
                {
                    if (!touched.Contains(z)) Assert.Same(before[z], incremental.Zones[z]);
                }
            }
            output.WriteLine($"seed {seed}: {Edits} edits recomputed {recomputed} zones ({(double)recomputed / Edits:F1} per edit of {zones.Length}); total coverage {incremental.Report().Total.CoveredFraction:P2}");
            Assert.True(recomputed < Edits * zones.Length / 8, "edits should recompute only nearby zones");
            Assert.Equal(recomputed, incremental.ZonesRecomputed);
        }
    }

    [Fact]
    public void RemovingOneOfTwoIdenticalViewsKeepsTheOther()
    {
        var zone = new CoverageZone("z", Rect(0, 0, 100, 100), ZoneKind.School, 1);
        var view = Rect(0, 0, 50, 100);
        var incremental = new IncrementalCoverage([zone], [new("a", view), new("b", view.Copy())]);
        Assert.Equal(0.5, incremental.Zones[0].CoveredFraction, 1e-12);
        Assert.Equal(new[] { 0 }, incremental.UpdateCamera("a", null));
        Assert.Equal(0.5, incremental.Zones[0].CoveredFraction, 1e-12);
        Assert.Null(incremental.ViewOf("a"));
        incremental.UpdateCamera("b", Rect(300, 300, 310, 310)); // moved away
        Assert.Equal(0, incremental.Zones[0].CoveredFraction);
        Assert.Empty(incremental.UpdateCamera("c", Rect(500, 500, 510, 510)));
        Assert.Equal(2, incremental.CameraCount);
    }

    [Fact]
    public void AWhatIfScenarioEqualsApplyingItAndLeavesTheCurrentCoverageAlone()
    {
        var random = new Random(7);
        var (zones, buildings, incidents) = City(random);
        var viewshed = new CameraViewshed(buildings);
        var views = new Dictionary<string, NetTopologySuite.Geometries.Geometry?>();
        for (var c = 0; c < 60; c++) views[$"cam{c}"] = viewshed.View(RandomCamera(random));
        var baseline = new IncrementalCoverage(zones, views, incidents);
        var before = baseline.Zones.ToArray();

        // a draft: two new cameras, one re-aimed, one removed
        var draft = new Dictionary<string, NetTopologySuite.Geometries.Geometry?>
        {
            ["draft-1"] = viewshed.View(RandomCamera(random)),
            ["draft-2"] = viewshed.View(RandomCamera(random)),
            ["cam3"] = viewshed.View(RandomCamera(random)),
            ["cam7"] = null,
        };
        var scenario = baseline.WhatIf(draft, out var affected);

        Assert.NotEmpty(affected);
        Assert.True(affected.Count < zones.Length / 2, "a draft of four cameras recomputes only nearby zones");
        for (var z = 0; z < zones.Length; z++) Assert.Same(before[z], baseline.Zones[z]); // the current coverage is untouched
        foreach (var (id, view) in draft)
        {
            if (view is null) views.Remove(id);
            else views[id] = view;
        }
        var full = CoverageReport.Compute(zones, [.. views.Values.OfType<NetTopologySuite.Geometries.Geometry>()], incidents);
        for (var z = 0; z < zones.Length; z++)
        {
            Assert.Equal(full.Zones[z].CoveredM2, scenario[z].CoveredM2, 1e-6 + 1e-9 * full.Zones[z].AreaM2);
            Assert.Equal(full.Zones[z].IncidentsCovered, scenario[z].IncidentsCovered);
            if (!affected.Contains(z)) Assert.Same(before[z], scenario[z]);
        }
        Assert.Contains(affected, z => Math.Abs(scenario[z].CoveredM2 - before[z].CoveredM2) > 1);
    }

    private static void AssertSame(CoverageReport full, IncrementalCoverage incremental)
    {
        Assert.Equal(full.Zones.Count, incremental.Zones.Count);
        for (var z = 0; z < full.Zones.Count; z++)
        {
            var f = full.Zones[z];
            var i = incremental.Zones[z];
            Assert.Equal(f.Id, i.Id);
            Assert.Equal(f.CoveredM2, i.CoveredM2, 1e-6 + 1e-9 * f.AreaM2);
            Assert.Equal(f.BlindSpot.Area, i.BlindSpot.Area, 1e-6 + 1e-9 * f.AreaM2);
            Assert.Equal(f.Incidents, i.Incidents);
            Assert.Equal(f.IncidentsCovered, i.IncidentsCovered);
            Assert.Equal(f.ViewCount, i.ViewCount);
        }
        var report = incremental.Report();
        Assert.Equal(full.Total.CoveredM2, report.Total.CoveredM2, 1e-4);
        Assert.Equal(full.BelowTarget.Count, report.BelowTarget.Count);
    }
}
