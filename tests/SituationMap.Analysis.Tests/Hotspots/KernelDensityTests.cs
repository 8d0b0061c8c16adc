using SituationMap.Analysis.Hotspots;

namespace SituationMap.Analysis.Tests.Hotspots;

/// <summary>
/// Kernel density against direct summation Σ wᵢ K(|c − pᵢ|) at every cell centre (the definition), plus mass
/// conservation and symmetry. Tolerances are stated per test.
/// </summary>
public sealed class KernelDensityTests
{
    public static TheoryData<KernelShape, ConvolutionMethod> KernelsAndMethods => new()
    {
        { KernelShape.Quartic, ConvolutionMethod.Fft },
        { KernelShape.Quartic, ConvolutionMethod.Direct },
        { KernelShape.Epanechnikov, ConvolutionMethod.Fft },
        { KernelShape.Epanechnikov, ConvolutionMethod.Direct },
        { KernelShape.Gaussian, ConvolutionMethod.Fft },
        { KernelShape.Gaussian, ConvolutionMethod.Direct },
    };

    public static TheoryData<KernelShape> Kernels => new() { KernelShape.Quartic, KernelShape.Epanechnikov, KernelShape.Gaussian };

    [Theory]
    [MemberData(nameof(KernelsAndMethods))]
    public void PointsOnCellCentresGiveExactlyTheDirectSum(KernelShape kernel, ConvolutionMethod method)
    {
        // 25 weighted points on cell centres of a 37 × 29 grid of 10 m cells (odd sizes exercise the radix-3/5 FFT paths
        // and the unpaired last row); bandwidth 55 m. Linear binning is exact there, so only rounding separates the two:
        // tolerance 1e-9 of the maximum density.
        var grid = new RasterGrid(1000, 2000, 10, 37, 29);
        var random = new Random(11);
        var x = new double[25];
        var y = new double[25];
        var w = new double[25];
        for (var i = 0; i < x.Length; i++)
        {
            x[i] = grid.CellCentreX(random.Next(-3, grid.Width + 3));
            y[i] = grid.CellCentreY(random.Next(-3, grid.Height + 3));
            w[i] = 0.5 + random.NextDouble();
        }
        var bandwidth = kernel == KernelShape.Gaussian ? 18.0 : 55.0;
        var surface = new KernelDensity(grid, kernel, bandwidth, method).Estimate(x, y, w);
        var direct = DirectSum(grid, kernel, bandwidth, x, y, w);
        AssertClose(direct, surface.Values, 1e-9 * direct.Max());
    }

    [Theory]
    [MemberData(nameof(Kernels))]
    public void ScatteredPointsMatchTheDirectSumWithinTheLinearBinningError(KernelShape kernel)
    {
        // 400 uniform points, bandwidth 8 cells (Gaussian: σ = 4 cells). Linear binning's error is O((cell/h)²):
        // tolerance 1 % of the maximum density.
        var grid = new RasterGrid(0, 0, 5, 60, 50);
        var random = new Random(2);
        var x = Enumerable.Range(0, 400).Select(_ => 20 + random.NextDouble() * 260).ToArray();
        var y = Enumerable.Range(0, 400).Select(_ => 20 + random.NextDouble() * 210).ToArray();
        var bandwidth = kernel == KernelShape.Gaussian ? 20.0 : 40.0;
        var surface = KernelDensity.Estimate(x, y, grid, kernel, bandwidth);
        var direct = DirectSum(grid, kernel, bandwidth, x, y, null);
        AssertClose(direct, surface.Values, 0.01 * direct.Max());
    }

    [Theory]
    [MemberData(nameof(Kernels))]
    public void TheSurfaceIntegratesToTheSumOfWeights(KernelShape kernel)
    {
        // kernels well inside the grid: Σ density × cell area = Σ weights within 0.5 % (Riemann sum of a kernel 10 cells wide)
        var grid = new RasterGrid(0, 0, 10, 200, 150);
        var random = new Random(9);
        var x = Enumerable.Range(0, 1000).Select(_ => 500 + random.NextDouble() * 1000).ToArray();
        var y = Enumerable.Range(0, 1000).Select(_ => 400 + random.NextDouble() * 700).ToArray();
        var w = Enumerable.Range(0, 1000).Select(_ => 1 + 2 * random.NextDouble()).ToArray();
        var surface = KernelDensity.Estimate(x, y, grid, kernel, kernel == KernelShape.Gaussian ? 50 : 100, w);
        Assert.Equal(w.Sum(), surface.Total(), w.Sum() * 0.005);
    }

    [Fact]
    public void UnweightedPointsIntegrateToTheirNumberWithTheDefaultBandwidth()
    {
        var grid = new RasterGrid(-1000, -1000, 4, 500, 500);  // h ≈ 35 m ≈ 9 cells
        var random = new Random(4);
        var x = Enumerable.Range(0, 5000).Select(_ => Gaussian(random) * 150).ToArray();
        var y = Enumerable.Range(0, 5000).Select(_ => Gaussian(random) * 150).ToArray();
        var surface = KernelDensity.Estimate(x, y, grid);
        Assert.Equal(5000, surface.Total(), 5000 * 0.005);
        Assert.Equal(KernelDensity.DefaultBandwidth(x, y), surface.Bandwidth);
    }

    [Theory]
    [MemberData(nameof(Kernels))]
    public void MirroredPointsGiveAMirroredSurface(KernelShape kernel)
    {
        // points mirrored about the grid's vertical centre line and about its horizontal centre line:
        // the surface is symmetric both ways to 1e-12 of its maximum
        var grid = new RasterGrid(0, 0, 10, 64, 45);
        var random = new Random(6);
        var x = new List<double>();
        var y = new List<double>();
        var (width, height) = (grid.Width * grid.CellSize, grid.Height * grid.CellSize);
        for (var i = 0; i < 50; i++)
        {
            var px = random.NextDouble() * width;
            var py = random.NextDouble() * height;
            x.AddRange([px, width - px, px, width - px]);
            y.AddRange([py, py, height - py, height - py]);
        }
        var surface = KernelDensity.Estimate([.. x], [.. y], grid, kernel, kernel == KernelShape.Gaussian ? 30 : 70);
        var tolerance = 1e-12 * surface.Maximum().Density;
        for (var r = 0; r < grid.Height; r++)
        {
            for (var c = 0; c < grid.Width; c++)
            {
                Assert.Equal(surface[c, r], surface[grid.Width - 1 - c, r], tolerance);
                Assert.Equal(surface[c, r], surface[c, grid.Height - 1 - r], tolerance);
            }
        }
    }

    [Fact]
    public void OnePointOnACellCentreHasTheQuarticPeakPerSquareKilometre()
    {
        // 3/(π h²) per m² at distance 0 = 3/(π·100²)·10⁶ = 95.4929… per km²
        var grid = new RasterGrid(0, 0, 10, 41, 41);
        var surface = KernelDensity.Estimate([205], [205], grid, KernelShape.Quartic, 100);
        Assert.Equal(95.49296585513721, surface[20, 20], 1e-9);
        Assert.Equal((20, 20), (surface.Maximum().Column, surface.Maximum().Row));
        Assert.Equal(0, surface[20, 30], 1e-12);  // exactly h away: the kernel is 0 there
        Assert.Equal(0, surface[0, 0], 1e-12);
    }

    [Fact]
    public void PointsOutsideTheGridStillReachItWithinTheirBandwidth()
    {
        // a point 25 m west and one 45 m south of the grid (both on the cell-centre lattice), h = 60 m:
        // the edge cells get exactly their kernel values (tolerance 1e-9 of the maximum)
        var grid = new RasterGrid(0, 0, 10, 20, 20);
        double[] x = [-25, 55];
        double[] y = [95, -45];
        var surface = KernelDensity.Estimate(x, y, grid, KernelShape.Quartic, 60);
        var direct = DirectSum(grid, KernelShape.Quartic, 60, x, y, null);
        Assert.True(surface[0, 9] > 0);
        Assert.True(surface[5, 0] > 0);
        AssertClose(direct, surface.Values, 1e-9 * direct.Max());
        var far = KernelDensity.Estimate([-1000], [-1000], grid, KernelShape.Quartic, 60);
        Assert.All(far.Values, v => Assert.Equal(0, v));
    }

    [Fact]
    public void DefaultBandwidthIsArcGisSpatialSilvermanRule()
    {
        // four corners of a 100 m square and its centre: mean centre (50, 50), SD = √(4·5000/5) = 63.2456 m,
        // median distance Dm = 70.7107 m, √(1/ln 2)·Dm = 84.93 m > SD, so h = 0.9 · 63.2456 · 5^(−0.2)
        double[] x = [0, 100, 0, 100, 50];
        double[] y = [0, 0, 100, 100, 50];
        Assert.Equal(0.9 * Math.Sqrt(4000) * Math.Pow(5, -0.2), KernelDensity.DefaultBandwidth(x, y), 1e-9);
        // a tight core with a far ring: now √(1/ln 2)·Dm is the smaller term
        double[] cx = [0, 1, -1, 0, 0, 1000, -1000];
        double[] cy = [0, 0, 0, 1, -1, 0, 0];
        var sd = Math.Sqrt((1 + 1 + 1 + 1 + 1e6 + 1e6) / 7);
        Assert.Equal(0.9 * Math.Min(sd, Math.Sqrt(1 / Math.Log(2)) * 1) * Math.Pow(7, -0.2), KernelDensity.DefaultBandwidth(cx, cy), 1e-9);
    }

    [Fact]
    public void DefaultBandwidthWithWeightsUsesTheWeightedCentreMedianAndTotal()
    {
        // weights 3 and 1 on two points 100 m apart: weighted centre at 25 m from the heavy point;
        // SD = √((3·25² + 75²)/4) = 43.30 m, weighted median distance = 25 m (the heavy point holds ¾ of the weight),
        // √(1/ln 2)·25 = 30.03 m < SD, n = 4: h = 0.9 · 30.03 · 4^(−0.2)
        double[] x = [0, 100];
        double[] y = [0, 0];
        double[] w = [3, 1];
        Assert.Equal(0.9 * Math.Sqrt(1 / Math.Log(2)) * 25 * Math.Pow(4, -0.2), KernelDensity.DefaultBandwidth(x, y, w), 1e-9);
    }

    [Fact]
    public void FftAndDirectConvolutionAgreeOnALargeGaussianKernel()
    {
        var grid = new RasterGrid(0, 0, 10, 90, 70);
        var random = new Random(8);
        var x = Enumerable.Range(0, 300).Select(_ => random.NextDouble() * 900).ToArray();
        var y = Enumerable.Range(0, 300).Select(_ => random.NextDouble() * 700).ToArray();
        var fft = new KernelDensity(grid, KernelShape.Gaussian, 80, ConvolutionMethod.Fft).Estimate(x, y);
        var direct = new KernelDensity(grid, KernelShape.Gaussian, 80, ConvolutionMethod.Direct).Estimate(x, y);
        AssertClose(direct.Values, fft.Values, 1e-10 * direct.Maximum().Density);
    }

    [Fact]
    public void InvalidInputIsRejected()
    {
        var grid = new RasterGrid(0, 0, 10, 10, 10);
        Assert.Throws<ArgumentException>(() => KernelDensity.Estimate([1, 2], [1], grid, bandwidth: 10));
        Assert.Throws<ArgumentException>(() => KernelDensity.Estimate([double.NaN], [1], grid, bandwidth: 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => KernelDensity.Estimate([1], [1], grid, bandwidth: 0));
        Assert.Throws<ArgumentException>(() => KernelDensity.Estimate([5, 5], [5, 5], grid));  // all in one place: no default bandwidth
        Assert.Throws<ArgumentOutOfRangeException>(() => new RasterGrid(0, 0, -1, 10, 10));
    }

    private static double[] DirectSum(RasterGrid grid, KernelShape kernel, double bandwidth, double[] x, double[] y, double[]? w)
    {
        var values = new double[grid.CellCount];
        for (var r = 0; r < grid.Height; r++)
        {
            for (var c = 0; c < grid.Width; c++)
            {
                var sum = 0.0;
                for (var i = 0; i < x.Length; i++)
                {
                    var dx = grid.CellCentreX(c) - x[i];
                    var dy = grid.CellCentreY(r) - y[i];
                    // the Gaussian is truncated to |dx|, |dy| ≤ 5h, as documented
                    if (kernel == KernelShape.Gaussian && (Math.Abs(dx) > 5 * bandwidth + 1e-9 || Math.Abs(dy) > 5 * bandwidth + 1e-9)) continue;
                    sum += (w?[i] ?? 1) * KernelDensity.KernelValue(kernel, Math.Sqrt(dx * dx + dy * dy), bandwidth);
                }
                values[r * grid.Width + c] = sum * 1e6;
            }
        }
        return values;
    }

    private static void AssertClose(double[] expected, double[] actual, double tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        var worst = 0.0;
        for (var i = 0; i < expected.Length; i++) worst = Math.Max(worst, Math.Abs(expected[i] - actual[i]));
        Assert.True(worst <= tolerance, $"largest difference {worst:G4} exceeds {tolerance:G4}");
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
