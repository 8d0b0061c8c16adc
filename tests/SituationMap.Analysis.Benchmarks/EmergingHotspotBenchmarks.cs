using BenchmarkDotNet.Attributes;
using NetTopologySuite.Geometries;
using SituationMap.Analysis.Hotspots;

namespace SituationMap.Analysis.Benchmarks;

/// <summary>
/// Emerging hot spots on a cube of 5,000 cells (50 × 100 square cells of 200 m) × 52 weekly steps, from 500,000
/// synthetic incidents with a seeded drift; distance band 300 m (the 8 queen neighbours), one previous step in the
/// neighbourhood, FDR on. Goal: &lt; 5 s.
/// </summary>
public class EmergingHotspotBenchmarks
{
    private SpaceTimeCube _cube = null!;
    private SpatialWeights _band = null!;

    [GlobalSetup]
    public void Setup()
    {
        var grid = new SquareGrid(new Envelope(0, 10_000, 0, 20_000), 200);
        var (x, y) = SyntheticCrime.Points(500_000, 20_000, seed: 3);
        var random = new Random(4);
        var cells = new int[x.Length];
        var steps = new int[x.Length];
        for (var i = 0; i < x.Length; i++)
        {
            cells[i] = grid.CellOf(x[i] / 2, y[i]);
            // later weeks are more likely in the north: a trend for the Mann–Kendall test to find
            var drift = y[i] / 20_000;
            steps[i] = Math.Min(51, (int)(52 * Math.Pow(random.NextDouble(), 1.5 - drift)));
        }
        _cube = SpaceTimeCube.FromEvents(cells, steps, grid.CellCount, 52);
        _band = SpatialWeights.DistanceBand(grid.Centroids(), 300);
    }

    [Benchmark(Description = "Emerging hot spots 5000 cells x 52 steps")]
    public EmergingHotspotResult FiveThousandCellsByFiftyTwoWeeks() => EmergingHotspots.Analyse(_cube, _band);
}
