using System.Numerics;

namespace SituationMap.Analysis.Hotspots;

/// <summary>
/// Cyclic 2-D convolution of a real grid with a real, even kernel (symmetric in x and in y) through the FFT.
/// Rows are transformed two at a time as one complex sequence (real-input trick), columns only for the
/// mx/2 + 1 non-redundant frequencies, so a convolution costs about three half-size 2-D FFTs:
/// O(mx·my·log(mx·my)) time, O(mx·my) memory. Rows and column blocks run in parallel.
/// </summary>
internal static class RealConvolution2D
{
    private const int ColumnBlock = 16;

    /// <summary>
    /// Replaces rows [<paramref name="firstRow"/>, <paramref name="firstRow"/> + <paramref name="rowCount"/>) of
    /// <paramref name="data"/> (my rows × mx columns, row-major) by those of its cyclic convolution with
    /// <paramref name="kernel"/> (same layout, offset (dx, dy) stored at ((dx + mx) % mx, (dy + my) % my)); the other rows
    /// are left undefined. All-zero input rows are skipped.
    /// </summary>
    public static void ConvolveCyclic(double[] data, double[] kernel, int mx, int my, int firstRow, int rowCount)
    {
        var rowPlan = new FftPlan(mx);
        var columnPlan = new FftPlan(my);
        var half = mx / 2 + 1;
        var spectrum = ForwardReal(data, mx, my, rowPlan, columnPlan);
        var kernelSpectrum = ForwardReal(kernel, mx, my, rowPlan, columnPlan);
        for (var i = 0; i < spectrum.Length; i++) spectrum[i] *= kernelSpectrum[i].Real;  // even kernel ⇒ real spectrum
        TransformColumns(spectrum, half, my, columnPlan, inverse: true);
        var scale = 1.0 / ((double)mx * my);
        var pairs = (rowCount + 1) / 2;
        Parallel.For(0, pairs, () => new RowBuffers(mx), (pair, _, buffers) =>
        {
            var z = buffers.Values;
            var r0 = firstRow + 2 * pair;
            var r1 = r0 + 1;
            var hasSecond = r1 < my && r1 < firstRow + rowCount;
            var a = spectrum.AsSpan(r0 * half, half);
            var b = hasSecond ? spectrum.AsSpan(r1 * half, half) : default;
            for (var k = 0; k < mx; k++)
            {
                Complex ak, bk;
                if (k < half)
                {
                    ak = a[k];
                    bk = hasSecond ? b[k] : Complex.Zero;
                }
                else
                {
                    ak = Complex.Conjugate(a[mx - k]);
                    bk = hasSecond ? Complex.Conjugate(b[mx - k]) : Complex.Zero;
                }
                z[k] = new Complex(ak.Real - bk.Imaginary, ak.Imaginary + bk.Real);  // a + i·b
            }
            rowPlan.Inverse(z, buffers.Scratch);
            var out0 = data.AsSpan(r0 * mx, mx);
            for (var k = 0; k < mx; k++) out0[k] = z[k].Real * scale;
            if (hasSecond)
            {
                var out1 = data.AsSpan(r1 * mx, mx);
                for (var k = 0; k < mx; k++) out1[k] = z[k].Imaginary * scale;
            }
            return buffers;
        }, _ => { });
    }

    /// <summary>The non-redundant half (u = 0..mx/2) of the 2-D DFT of a real grid, my rows × (mx/2 + 1).</summary>
    private static Complex[] ForwardReal(double[] data, int mx, int my, FftPlan rowPlan, FftPlan columnPlan)
    {
        var half = mx / 2 + 1;
        var spectrum = new Complex[my * half];
        var pairs = (my + 1) / 2;
        Parallel.For(0, pairs, () => new RowBuffers(mx), (pair, _, buffers) =>
        {
            var z = buffers.Values;
            var r0 = 2 * pair;
            var r1 = r0 + 1;
            var hasSecond = r1 < my;
            var row0 = data.AsSpan(r0 * mx, mx);
            if (!row0.ContainsAnyExcept(0.0) && (!hasSecond || !data.AsSpan(r1 * mx, mx).ContainsAnyExcept(0.0)))
            {
                return buffers;  // both spectra rows stay zero
            }
            if (hasSecond)
            {
                var row1 = data.AsSpan(r1 * mx, mx);
                for (var k = 0; k < mx; k++) z[k] = new Complex(row0[k], row1[k]);
            }
            else
            {
                for (var k = 0; k < mx; k++) z[k] = new Complex(row0[k], 0);
            }
            rowPlan.Forward(z, buffers.Scratch);
            // separate the two real rows: A = (Z[k] + conj Z[−k]) / 2, B = (Z[k] − conj Z[−k]) / 2i
            for (var k = 0; k < half; k++)
            {
                var zk = z[k];
                var zc = Complex.Conjugate(z[(mx - k) % mx]);
                spectrum[r0 * half + k] = (zk + zc) * 0.5;
                if (hasSecond)
                {
                    var d = zk - zc;
                    spectrum[r1 * half + k] = new Complex(0.5 * d.Imaginary, -0.5 * d.Real);
                }
            }
            return buffers;
        }, _ => { });
        TransformColumns(spectrum, half, my, columnPlan, inverse: false);
        return spectrum;
    }

    private static void TransformColumns(Complex[] spectrum, int columns, int rows, FftPlan plan, bool inverse)
    {
        var blocks = (columns + ColumnBlock - 1) / ColumnBlock;
        Parallel.For(0, blocks, () => new ColumnBuffers(rows), (block, _, buffers) =>
        {
            var first = block * ColumnBlock;
            var count = Math.Min(ColumnBlock, columns - first);
            var gathered = buffers.Block;
            for (var r = 0; r < rows; r++)
            {
                var row = spectrum.AsSpan(r * columns + first, count);
                for (var c = 0; c < count; c++) gathered[c * rows + r] = row[c];
            }
            for (var c = 0; c < count; c++)
            {
                var column = gathered.AsSpan(c * rows, rows);
                if (inverse) plan.Inverse(column, buffers.Scratch);
                else plan.Forward(column, buffers.Scratch);
            }
            for (var r = 0; r < rows; r++)
            {
                var row = spectrum.AsSpan(r * columns + first, count);
                for (var c = 0; c < count; c++) row[c] = gathered[c * rows + r];
            }
            return buffers;
        }, _ => { });
    }

    private sealed class RowBuffers(int length)
    {
        public Complex[] Values { get; } = new Complex[length];

        public Complex[] Scratch { get; } = new Complex[length];
    }

    private sealed class ColumnBuffers(int rows)
    {
        public Complex[] Block { get; } = new Complex[rows * ColumnBlock];

        public Complex[] Scratch { get; } = new Complex[rows];
    }
}
