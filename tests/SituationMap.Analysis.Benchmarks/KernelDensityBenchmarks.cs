using BenchmarkDotNet.Attributes;
using SituationMap.Analysis.Hotspots;

namespace SituationMap.Analysis.Benchmarks;

/// <summary>
/// 1,000,000 points onto a 1000 × 1000 grid of 10 m cells (10 km × 10 km), default bandwidth (ArcGIS's rule, computed
/// inside the measured call), FFT convolution chosen automatically. Goal: &lt; 1 s on 2 cores.
/// </summary>
public class KernelDensityBenchmarks
{
    private double[] _x = [];
    private double[] _y = [];
    private readonly RasterGrid _grid = new(0, 0, 10, 1000, 1000);

    [Params(KernelShape.Quartic, KernelShape.Epanechnikov, KernelShape.Gaussian)]
    public KernelShape Kernel { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        (_x, _y) = SyntheticCrime.Points(1_000_000, 10_000, seed: 1);
        Console.WriteLine($"// default bandwidth: {KernelDensity.DefaultBandwidth(_x, _y):F1} m");
    }

    [Benchmark(Description = "KDE 1M points -> 1000x1000")]
    public DensitySurface MillionPoints() => KernelDensity.Estimate(_x, _y, _grid, Kernel);
}
