using BenchmarkDotNet.Attributes;
using NetTopologySuite.Geometries;
using SituationMap.Analysis.Coverage;
using SituationMap.Analysis.Domain;

namespace SituationMap.Analysis.Benchmarks;

/// <summary>
/// Camera coverage on a synthetic 10 km × 10 km city (fixed seeds): 100 × 100 blocks of 80 m between 20 m streets,
/// two 30 × 70 m buildings per block (every tenth block one 70 m courtyard building instead): 19,000 buildings.
/// 5,000 cameras on the streets (80 % fixed, FOV 40–120°, 20 % PTZ full circle; range 30–150 m); 500 zones (squares
/// of 150–600 m of every kind, overlapping, four districts). Goals: views + report &lt; 2 s; one camera edit
/// (its new view + the incremental update) &lt; 100 ms; 50 cameras recommended from 10,000 options (2,500 street sites
/// × 4 headings, occluded views precomputed) &lt; 5 s.
/// </summary>
public class CoverageBenchmarks
{
    private List<NetTopologySuite.Geometries.Geometry> _buildings = [];
    private List<CameraSpec> _cameras = [];
    private CoverageZone[] _zones = [];
    private CameraViewshed _viewshed = null!;
    private NetTopologySuite.Geometries.Geometry[] _views = [];
    private IncrementalCoverage _incremental = null!;
    private CameraSpec[] _edits = [];
    private int _edit;
    private IReadOnlyList<ZoneCoverage> _current = [];
    private List<PlacementOption> _options = [];

    [GlobalSetup]
    public void Setup()
    {
        _buildings = CoverageCity.Buildings();
        var random = new Random(61);
        _cameras = [.. Enumerable.Range(0, 5_000).Select(_ => CoverageCity.StreetCamera(random))];
        _zones = CoverageCity.Zones(new Random(62), 500);
        _viewshed = new CameraViewshed(_buildings);
        _views = _viewshed.Views(_cameras);
        _incremental = new IncrementalCoverage(_zones, _views.Select((v, i) => new KeyValuePair<string, NetTopologySuite.Geometries.Geometry?>($"cam{i}", v)));
        var editRandom = new Random(63);
        _edits = [.. Enumerable.Range(0, 256).Select(_ => CoverageCity.StreetCamera(editRandom))];
        var report = CoverageReport.Compute(_zones, _views);
        _current = report.Zones;
        var siteRandom = new Random(64);
        for (var s = 0; s < 2_500; s++)
        {
            var site = CoverageCity.StreetCamera(siteRandom);
            for (var h = 0; h < 4; h++)
            {
                var heading = h * 90 + 45;
                _options.Add(new PlacementOption($"site{s}", heading, _viewshed.View(site with { Kind = CameraKind.Fixed, HeadingDeg = heading, FieldOfViewDeg = 90 })));
            }
        }
        Console.WriteLine($"// {_buildings.Count} buildings ({_viewshed.EdgeCount} edges), {_cameras.Count} cameras, {_zones.Length} zones; " +
            $"coverage {report.Total.CoveredFraction:P1}, {report.BelowTarget.Count} zones below target; {_options.Count} options");
    }

    [Benchmark(Description = "Views: 5,000 cameras, 19,000 buildings (incl. indexing the buildings)")]
    public NetTopologySuite.Geometries.Geometry[] Views() => new CameraViewshed(_buildings).Views(_cameras);

    [Benchmark(Description = "Report: 500 zones × 5,000 views")]
    public CoverageReport Report() => CoverageReport.Compute(_zones, _views);

    [Benchmark(Description = "Views + report")]
    public CoverageReport ViewsAndReport() => CoverageReport.Compute(_zones, new CameraViewshed(_buildings).Views(_cameras));

    [Benchmark(Description = "One camera edit: new view + incremental update")]
    public int IncrementalEdit()
    {
        var camera = _edits[_edit++ % _edits.Length];
        return _incremental.UpdateCamera($"cam{_edit % 5_000}", _viewshed.View(camera)).Count;
    }

    [Benchmark(Description = "Recommend 50 of 10,000 options (10 m samples, lazy greedy)")]
    public PlacementResult Recommend() =>
        CameraPlacement.Recommend(_current, _options, 50, new PlacementSettings { SampleSpacingM = 10 });
}
