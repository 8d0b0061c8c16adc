using BenchmarkDotNet.Attributes;
using NetTopologySuite.Geometries;
using SituationMap.Analysis.Hotspots;

namespace SituationMap.Analysis.Benchmarks;

/// <summary>
/// Gi* and LISA on 10,000 hexagons (100 × 100 cells of 100 m, counts of 200,000 synthetic incidents), distance band
/// 2.01 × cell size (the 18 cells of the first two rings). Goal for Gi* with building the weights: &lt; 0.5 s.
/// </summary>
public class HotspotBenchmarks
{
    private HexGrid _grid = null!;
    private Coordinate[] _centroids = [];
    private double[] _counts = [];
    private SpatialWeights _band = null!;

    [GlobalSetup]
    public void Setup()
    {
        _grid = new HexGrid(new Envelope(0, 9_900, 0, 8_550), 100);
        var (x, y) = SyntheticCrime.Points(200_000, 10_000, seed: 2);
        _counts = _grid.Count(x, y).Select(c => (double)c).ToArray();
        _centroids = _grid.Centroids();
        _band = SpatialWeights.DistanceBand(_centroids, 2.01 * _grid.CellSize);
        Console.WriteLine($"// {_grid.CellCount} cells, {_band.PairCount} neighbour pairs");
    }

    [Benchmark(Description = "Gi* 10k hex, distance band incl. building weights")]
    public LocalGResult GiStarWithWeights() =>
        GetisOrdGiStar.Compute(_counts, SpatialWeights.DistanceBand(_centroids, 2.01 * _grid.CellSize), falseDiscoveryRate: true);

    [Benchmark(Description = "Gi* 10k hex, prebuilt weights")]
    public LocalGResult GiStar() => GetisOrdGiStar.Compute(_counts, _band, falseDiscoveryRate: true);

    [Benchmark(Description = "Local Moran 10k hex, 999 permutations")]
    public LocalMoranResult LocalMoran999() => LocalMoran.Compute(_counts, _band, permutations: 999, seed: 1);
}
