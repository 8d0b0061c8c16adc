namespace SituationMap.Analysis.Hotspots;

/// <summary>The kernel of a <see cref="KernelDensity"/> estimate; all integrate to 1 over the plane.</summary>
public enum KernelShape
{
    /// <summary>
    /// Quartic (biweight), ArcGIS's kernel (Silverman 1986, eq. 4.5): K(d) = 3/(π h²) · (1 − d²/h²)² for d &lt; h, else 0.
    /// The bandwidth h is the search radius.
    /// </summary>
    Quartic,

    /// <summary>Epanechnikov: K(d) = 2/(π h²) · (1 − d²/h²) for d &lt; h, else 0. The bandwidth h is the search radius.</summary>
    Epanechnikov,

    /// <summary>
    /// Gaussian: K(d) = 1/(2π h²) · exp(−d²/(2h²)); the bandwidth h is the standard deviation. Truncated to the square of
    /// cell offsets |dx|, |dy| ≤ ⌈5h / cell⌉ cells (at least 5h), which drops under 1.2·10⁻⁶ of each point's mass.
    /// </summary>
    Gaussian,
}

/// <summary>How <see cref="KernelDensity"/> convolves the binned points with the kernel.</summary>
public enum ConvolutionMethod
{
    /// <summary>Whichever of the two is cheaper for the kernel and bandwidth (see <see cref="KernelDensity"/>).</summary>
    Automatic,

    /// <summary>FFT convolution: O(M log M) for M padded cells, independent of the bandwidth.</summary>
    Fft,

    /// <summary>
    /// Direct convolution of the binned grid: separable (two 1-D passes, O(cells · r)) for the Gaussian, a truncated
    /// 2-D stencil (O(cells · r²)) for the compact kernels, with r the kernel radius in cells.
    /// </summary>
    Direct,
}

/// <summary>
/// Kernel density estimation of points onto a raster (as ArcGIS "Kernel Density" with a planar method): the density at
/// each cell centre c is Σᵢ wᵢ · K(|c − pᵢ|), reported per km².
/// <para>
/// Method: the points are linearly binned (each point's weight is shared between the four surrounding cell centres in
/// proportion to the bilinear overlap) onto the grid padded by the kernel radius r = ⌈support / cell size⌉, so points up to
/// one kernel radius outside the grid still contribute; then the binned grid is convolved with the kernel sampled at the
/// cell-centre offsets. Points exactly on cell centres are therefore reproduced exactly (up to rounding) and otherwise the
/// error of linear binning is O((cell/h)²) relative (Wand 1994). Points further outside the grid than the kernel
/// support are ignored, as they do not reach any cell centre.
/// </para>
/// <para>
/// Cost: O(n) to bin n points, then the convolution: FFT, O(M log M) with M = (W + 2r)(H + 2r) rounded up to
/// 2·3·5-smooth sizes; or direct, O(W·H·r) for the separable Gaussian and O(W·H·r²) for the compact kernels.
/// <see cref="ConvolutionMethod.Automatic"/> uses direct convolution when the kernel is at most 64 cells across
/// (Gaussian) or 8 cells across (compact kernels), FFT otherwise. Memory O(M).
/// </para>
/// </summary>
public sealed class KernelDensity
{
    private const double GaussianTruncation = 5.0;
    private const double SquareMetresPerSquareKilometre = 1e6;

    public KernelDensity(RasterGrid grid, KernelShape kernel = KernelShape.Quartic, double? bandwidth = null, ConvolutionMethod method = ConvolutionMethod.Automatic)
    {
        if (bandwidth is { } h && (!double.IsFinite(h) || h <= 0)) throw new ArgumentOutOfRangeException(nameof(bandwidth), h, "The bandwidth must be a positive number of metres.");
        if (!Enum.IsDefined(kernel)) throw new ArgumentOutOfRangeException(nameof(kernel));
        if (!Enum.IsDefined(method)) throw new ArgumentOutOfRangeException(nameof(method));
        Grid = grid;
        Kernel = kernel;
        Bandwidth = bandwidth;
        Method = method;
    }

    public RasterGrid Grid { get; }

    public KernelShape Kernel { get; }

    /// <summary>Bandwidth in metres; null = <see cref="DefaultBandwidth"/> of the input.</summary>
    public double? Bandwidth { get; }

    public ConvolutionMethod Method { get; }

    /// <summary>Density per km² of the points (x, y in metres), optionally weighted (empty = every point weighs 1).</summary>
    public static DensitySurface Estimate(
        ReadOnlySpan<double> x, ReadOnlySpan<double> y, RasterGrid grid, KernelShape kernel = KernelShape.Quartic,
        double? bandwidth = null, ReadOnlySpan<double> weights = default) =>
        new KernelDensity(grid, kernel, bandwidth).Estimate(x, y, weights);

    /// <summary>Density per km² of the points (x, y in metres), optionally weighted (empty = every point weighs 1).</summary>
    public DensitySurface Estimate(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> weights = default)
    {
        Validate(x, y, weights);
        var h = Bandwidth ?? DefaultBandwidth(x, y, weights);
        var cell = Grid.CellSize;
        var radiusCells = Math.Ceiling(SupportRadius(Kernel, h) / cell);
        if ((Grid.Width + 2 * radiusCells) * (Grid.Height + 2 * radiusCells) > int.MaxValue / 4)
        {
            throw new ArgumentOutOfRangeException(nameof(weights), $"A bandwidth of {h} m reaches {radiusCells} cells: the padded grid would be too large.");
        }
        var radius = (int)radiusCells;
        var method = Method == ConvolutionMethod.Automatic ? ChooseMethod(Kernel, radius) : Method;
        double[] values;
        if (method == ConvolutionMethod.Fft)
        {
            var mx = FftPlan.GoodLength(Grid.Width + 2 * radius);
            var my = FftPlan.GoodLength(Grid.Height + 2 * radius);
            var binned = new double[mx * my];
            Bin(x, y, weights, Grid, radius, binned, mx);
            RealConvolution2D.ConvolveCyclic(binned, WrappedKernel(Kernel, h, cell, radius, mx, my), mx, my, radius, Grid.Height);
            values = Crop(binned, mx, radius);
        }
        else
        {
            var pw = Grid.Width + 2 * radius;
            var ph = Grid.Height + 2 * radius;
            var binned = new double[pw * ph];
            Bin(x, y, weights, Grid, radius, binned, pw);
            values = Kernel == KernelShape.Gaussian
                ? ConvolveSeparableGaussian(binned, pw, h, cell, radius)
                : ConvolveStencil(binned, pw, Kernel, h, cell, radius);
        }
        return new DensitySurface(Grid, Kernel, h, values);
    }

    /// <summary>The kernel's value per m² at a distance (metres) for a bandwidth (metres); see <see cref="KernelShape"/>.</summary>
    public static double KernelValue(KernelShape kernel, double distance, double bandwidth)
    {
        var u2 = distance * distance / (bandwidth * bandwidth);
        return kernel switch
        {
            KernelShape.Quartic => u2 < 1 ? 3 / (Math.PI * bandwidth * bandwidth) * (1 - u2) * (1 - u2) : 0,
            KernelShape.Epanechnikov => u2 < 1 ? 2 / (Math.PI * bandwidth * bandwidth) * (1 - u2) : 0,
            KernelShape.Gaussian => Math.Exp(-0.5 * u2) / (2 * Math.PI * bandwidth * bandwidth),
            _ => throw new ArgumentOutOfRangeException(nameof(kernel)),
        };
    }

    /// <summary>How far a point reaches: h for the compact kernels, 5h (the truncation) for the Gaussian.</summary>
    public static double SupportRadius(KernelShape kernel, double bandwidth) =>
        kernel == KernelShape.Gaussian ? GaussianTruncation * bandwidth : bandwidth;

    /// <summary>
    /// ArcGIS's default search radius, a spatial variant of Silverman's rule of thumb:
    /// h = 0.9 · min(SD, √(1/ln 2) · Dm) · n^(−0.2), where SD is the standard distance of the points about their (weighted)
    /// mean centre, Dm the (weighted) median distance from that centre, and n the number of points or, with weights, the sum
    /// of the weights. Applied as the radius of the compact kernels and as the standard deviation of the Gaussian.
    /// Cost O(n) without weights (quickselect median), O(n log n) with weights (sorted weighted median).
    /// </summary>
    public static double DefaultBandwidth(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> weights = default)
    {
        Validate(x, y, weights);
        var n = x.Length;
        var weighted = !weights.IsEmpty;
        double total = 0, sx = 0, sy = 0;
        for (var i = 0; i < n; i++)
        {
            var w = weighted ? weights[i] : 1.0;
            total += w;
            sx += w * x[i];
            sy += w * y[i];
        }
        if (total <= 0) throw new ArgumentException("The points (or their weights) sum to zero: there is nothing to estimate.", nameof(weights));
        var cx = sx / total;
        var cy = sy / total;
        var distances = new double[n];
        var squares = 0.0;
        for (var i = 0; i < n; i++)
        {
            var dx = x[i] - cx;
            var dy = y[i] - cy;
            var d2 = dx * dx + dy * dy;
            squares += (weighted ? weights[i] : 1.0) * d2;
            distances[i] = Math.Sqrt(d2);
        }
        var standardDistance = Math.Sqrt(squares / total);
        var median = weighted ? WeightedMedian(distances, weights, total) : Median(distances);
        var h = 0.9 * Math.Min(standardDistance, Math.Sqrt(1 / Math.Log(2)) * median) * Math.Pow(total, -0.2);
        if (!(h > 0)) throw new ArgumentException("The points are all in one place, so the default bandwidth is 0: give a bandwidth.", nameof(x));
        return h;
    }

    private static void Validate(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> weights)
    {
        if (x.Length != y.Length) throw new ArgumentException("x and y must have the same length.", nameof(y));
        if (!weights.IsEmpty && weights.Length != x.Length) throw new ArgumentException("weights must be empty or as long as x.", nameof(weights));
        if (x.Length == 0) throw new ArgumentException("There are no points.", nameof(x));
        for (var i = 0; i < x.Length; i++)
        {
            if (!double.IsFinite(x[i]) || !double.IsFinite(y[i])) throw new ArgumentException($"Point {i} has a non-finite coordinate.", nameof(x));
            if (!weights.IsEmpty && !double.IsFinite(weights[i])) throw new ArgumentException($"Weight {i} is not finite.", nameof(weights));
        }
    }

    private static ConvolutionMethod ChooseMethod(KernelShape kernel, int radius) =>
        kernel == KernelShape.Gaussian
            ? (2 * radius + 1 <= 64 ? ConvolutionMethod.Direct : ConvolutionMethod.Fft)
            : (2 * radius + 1 <= 8 ? ConvolutionMethod.Direct : ConvolutionMethod.Fft);

    /// <summary>Linear binning onto the padded grid (visible cell (c, r) at padded (c + pad, r + pad)), row stride <paramref name="stride"/>.</summary>
    private static void Bin(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> weights, RasterGrid grid, int pad, double[] binned, int stride)
    {
        var columns = grid.Width + 2 * pad;
        var paddedRows = grid.Height + 2 * pad;
        var inverse = 1 / grid.CellSize;
        for (var i = 0; i < x.Length; i++)
        {
            var gx = (x[i] - grid.OriginX) * inverse - 0.5 + pad;
            var gy = (y[i] - grid.OriginY) * inverse - 0.5 + pad;
            if (gx <= -1 || gy <= -1 || gx >= columns || gy >= paddedRows) continue;
            var c0 = (int)Math.Floor(gx);
            var r0 = (int)Math.Floor(gy);
            var fx = gx - c0;
            var fy = gy - r0;
            var w = weights.IsEmpty ? 1.0 : weights[i];
            AddBin(binned, stride, columns, paddedRows, c0, r0, w * (1 - fx) * (1 - fy));
            AddBin(binned, stride, columns, paddedRows, c0 + 1, r0, w * fx * (1 - fy));
            AddBin(binned, stride, columns, paddedRows, c0, r0 + 1, w * (1 - fx) * fy);
            AddBin(binned, stride, columns, paddedRows, c0 + 1, r0 + 1, w * fx * fy);
        }
    }

    private static void AddBin(double[] binned, int stride, int columns, int rows, int c, int r, double w)
    {
        if (c >= 0 && r >= 0 && c < columns && r < rows && w != 0) binned[r * stride + c] += w;
    }

    /// <summary>The kernel per km² at the cell-centre offsets (dx, dy) ∈ [−r, r]², wrapped for a cyclic convolution.</summary>
    private static double[] WrappedKernel(KernelShape kernel, double h, double cell, int radius, int mx, int my)
    {
        var k = new double[mx * my];
        for (var dy = -radius; dy <= radius; dy++)
        {
            var row = (dy + my) % my;
            for (var dx = -radius; dx <= radius; dx++)
            {
                k[row * mx + (dx + mx) % mx] = StencilValue(kernel, h, cell, dx, dy);
            }
        }
        return k;
    }

    private static double StencilValue(KernelShape kernel, double h, double cell, int dx, int dy)
    {
        if (kernel == KernelShape.Gaussian)
        {
            return GaussianFactor(dx, h, cell) * GaussianFactor(dy, h, cell) / (2 * Math.PI * h * h) * SquareMetresPerSquareKilometre;
        }
        return KernelValue(kernel, cell * Math.Sqrt((double)dx * dx + (double)dy * dy), h) * SquareMetresPerSquareKilometre;
    }

    private static double GaussianFactor(int offset, double h, double cell)
    {
        var u = offset * cell / h;
        return Math.Exp(-0.5 * u * u);
    }

    private double[] Crop(double[] padded, int stride, int pad)
    {
        var values = new double[Grid.CellCount];
        for (var r = 0; r < Grid.Height; r++)
        {
            Array.Copy(padded, (r + pad) * stride + pad, values, r * Grid.Width, Grid.Width);
        }
        return values;
    }

    private double[] ConvolveSeparableGaussian(double[] binned, int stride, double h, double cell, int radius)
    {
        var width = Grid.Width;
        var height = Grid.Height;
        var paddedRows = height + 2 * radius;
        var taps = new double[2 * radius + 1];
        for (var k = -radius; k <= radius; k++) taps[k + radius] = GaussianFactor(k, h, cell);
        var scale = SquareMetresPerSquareKilometre / (2 * Math.PI * h * h);
        // rows: tmp[r, c] = Σ_k binned[r, c + radius + k] · g[k], for every padded row and visible column
        var rowPass = new double[paddedRows * width];
        Parallel.For(0, paddedRows, r =>
        {
            var source = binned.AsSpan(r * stride, stride);
            var target = rowPass.AsSpan(r * width, width);
            for (var c = 0; c < width; c++)
            {
                var window = source.Slice(c, taps.Length);
                var sum = 0.0;
                for (var k = 0; k < taps.Length; k++) sum += window[k] * taps[k];
                target[c] = sum;
            }
        });
        var values = new double[width * height];
        Parallel.For(0, height, r =>
        {
            var target = values.AsSpan(r * width, width);
            for (var k = 0; k < taps.Length; k++)
            {
                var g = taps[k] * scale;
                var source = rowPass.AsSpan((r + k) * width, width);
                for (var c = 0; c < width; c++) target[c] += source[c] * g;
            }
        });
        return values;
    }

    private double[] ConvolveStencil(double[] binned, int stride, KernelShape kernel, double h, double cell, int radius)
    {
        var width = Grid.Width;
        var size = 2 * radius + 1;
        var stencil = new double[size * size];
        for (var dy = -radius; dy <= radius; dy++)
        {
            for (var dx = -radius; dx <= radius; dx++) stencil[(dy + radius) * size + dx + radius] = StencilValue(kernel, h, cell, dx, dy);
        }
        var values = new double[Grid.CellCount];
        Parallel.For(0, Grid.Height, r =>
        {
            var target = values.AsSpan(r * width, width);
            for (var sy = 0; sy < size; sy++)
            {
                // output row r is padded row r + radius; with an even stencil it sums padded rows r + radius + dy, dy = sy − radius
                var source = binned.AsSpan((r + sy) * stride, stride);
                for (var sx = 0; sx < size; sx++)
                {
                    var k = stencil[sy * size + sx];
                    if (k == 0) continue;
                    var shifted = source.Slice(sx, width);
                    for (var c = 0; c < width; c++) target[c] += shifted[c] * k;
                }
            }
        });
        return values;
    }

    private static double Median(double[] values)
    {
        var n = values.Length;
        var upper = QuickSelect(values, n / 2);
        if (n % 2 == 1) return upper;
        // after selection every value left of n/2 is ≤ the n/2-th: the lower middle is their maximum
        var lower = double.NegativeInfinity;
        for (var i = 0; i < n / 2; i++) lower = Math.Max(lower, values[i]);
        return 0.5 * (lower + upper);
    }

    /// <summary>Hoare's selection with median-of-three pivots: the k-th smallest, expected O(n); partially reorders.</summary>
    private static double QuickSelect(double[] a, int k)
    {
        int left = 0, right = a.Length - 1;
        while (right > left)
        {
            var mid = left + (right - left) / 2;
            var pivot = MedianOfThree(a[left], a[mid], a[right]);
            int i = left, j = right;
            while (i <= j)
            {
                while (a[i] < pivot) i++;
                while (a[j] > pivot) j--;
                if (i <= j)
                {
                    (a[i], a[j]) = (a[j], a[i]);
                    i++;
                    j--;
                }
            }
            if (k <= j) right = j;
            else if (k >= i) left = i;
            else return a[k];
        }
        return a[k];
    }

    private static double MedianOfThree(double a, double b, double c) => Math.Max(Math.Min(a, b), Math.Min(Math.Max(a, b), c));

    private static double WeightedMedian(double[] distances, ReadOnlySpan<double> weights, double total)
    {
        var order = new int[distances.Length];
        for (var i = 0; i < order.Length; i++) order[i] = i;
        var keys = (double[])distances.Clone();
        Array.Sort(keys, order);
        var cumulative = 0.0;
        for (var i = 0; i < order.Length; i++)
        {
            cumulative += weights[order[i]];
            if (cumulative >= 0.5 * total) return keys[i];
        }
        return keys[^1];
    }
}
