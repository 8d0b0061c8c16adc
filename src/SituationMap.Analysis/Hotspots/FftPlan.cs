using System.Numerics;

namespace SituationMap.Analysis.Hotspots;

/// <summary>
/// A mixed-radix complex FFT of one length (Stockham auto-sort, radix 4, 2, 3 and 5 butterflies, a generic butterfly
/// for any other prime factor). Forward transform X[f] = Σ x[j]·e^(−2πi·jf/n), unnormalised.
/// Costs O(n·Σ pᵢ) for the prime factors pᵢ of n, i.e. O(n log n) for the 2·3·5-smooth lengths that
/// <see cref="GoodLength"/> returns. A plan is immutable and can be shared between threads; each call needs its own scratch.
/// </summary>
internal sealed class FftPlan
{
    private const double C5a = 0.30901699437494745;   // cos 2π/5
    private const double C5b = -0.80901699437494745;  // cos 4π/5
    private const double S5a = 0.95105651629515353;   // sin 2π/5
    private const double S5b = 0.58778525229247314;   // sin 4π/5
    private const double S3 = 0.86602540378443865;    // sin 2π/3

    private readonly int[] _radices;
    private readonly Complex[][] _twiddles;

    public FftPlan(int length)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1);
        Length = length;
        _radices = Factor(length);
        _twiddles = new Complex[_radices.Length][];
        var n = length;
        for (var stage = 0; stage < _radices.Length; stage++)
        {
            var p = _radices[stage];
            var m = n / p;
            var table = new Complex[m * (p - 1)];
            for (var k = 0; k < m; k++)
            {
                for (var u = 1; u < p; u++)
                {
                    var angle = -2 * Math.PI * ((long)k * u % n) / n;
                    table[k * (p - 1) + u - 1] = new Complex(Math.Cos(angle), Math.Sin(angle));
                }
            }
            _twiddles[stage] = table;
            n = m;
        }
    }

    public int Length { get; }

    /// <summary>The smallest length ≥ <paramref name="minimum"/> whose only prime factors are 2, 3 and 5.</summary>
    public static int GoodLength(int minimum)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(minimum, 1);
        for (var n = minimum; ; n++)
        {
            var r = n;
            while (r % 2 == 0) r /= 2;
            while (r % 3 == 0) r /= 3;
            while (r % 5 == 0) r /= 5;
            if (r == 1) return n;
        }
    }

    /// <summary>Forward transform in place. <paramref name="scratch"/> must hold at least <see cref="Length"/> values.</summary>
    public void Forward(Span<Complex> data, Span<Complex> scratch)
    {
        if (data.Length != Length) throw new ArgumentException($"Expected {Length} values.", nameof(data));
        scratch = scratch[..Length];
        var x = data;
        var y = scratch;
        var inScratch = false;
        var n = Length;
        var s = 1;
        for (var stage = 0; stage < _radices.Length; stage++)
        {
            var p = _radices[stage];
            var m = n / p;
            var tw = _twiddles[stage];
            switch (p)
            {
                case 2: Radix2(m, s, x, y, tw); break;
                case 3: Radix3(m, s, x, y, tw); break;
                case 4: Radix4(m, s, x, y, tw); break;
                case 5: Radix5(m, s, x, y, tw); break;
                default: RadixGeneric(p, m, s, x, y, tw); break;
            }
            var t = x;
            x = y;
            y = t;
            inScratch = !inScratch;
            n = m;
            s *= p;
        }
        if (inScratch) x.CopyTo(data);
    }

    /// <summary>Inverse transform in place, unnormalised (the caller divides by n): conj(FFT(conj(x))).</summary>
    public void Inverse(Span<Complex> data, Span<Complex> scratch)
    {
        for (var i = 0; i < data.Length; i++) data[i] = Complex.Conjugate(data[i]);
        Forward(data, scratch);
        for (var i = 0; i < data.Length; i++) data[i] = Complex.Conjugate(data[i]);
    }

    private static int[] Factor(int n)
    {
        var radices = new List<int>();
        while (n % 4 == 0) { radices.Add(4); n /= 4; }
        while (n % 2 == 0) { radices.Add(2); n /= 2; }
        while (n % 3 == 0) { radices.Add(3); n /= 3; }
        while (n % 5 == 0) { radices.Add(5); n /= 5; }
        for (var p = 7; n > 1; p += 2)
        {
            while (n % p == 0) { radices.Add(p); n /= p; }
        }
        return [.. radices];
    }

    // Stage of a decimation-in-frequency Stockham FFT of length n = p·m with stride s:
    // y[q + s(p·k + u)] = w_n^(k·u) · Σ_j x[q + s(k + j·m)] · ω_p^(j·u)
    private static void Radix2(int m, int s, Span<Complex> x, Span<Complex> y, Complex[] tw)
    {
        for (var k = 0; k < m; k++)
        {
            var w = tw[k];
            var x0 = x.Slice(s * k, s);
            var x1 = x.Slice(s * (k + m), s);
            var y0 = y.Slice(s * 2 * k, s);
            var y1 = y.Slice(s * (2 * k + 1), s);
            for (var q = 0; q < s; q++)
            {
                var a = x0[q];
                var b = x1[q];
                y0[q] = a + b;
                y1[q] = (a - b) * w;
            }
        }
    }

    private static void Radix3(int m, int s, Span<Complex> x, Span<Complex> y, Complex[] tw)
    {
        for (var k = 0; k < m; k++)
        {
            var w1 = tw[2 * k];
            var w2 = tw[2 * k + 1];
            var x0 = x.Slice(s * k, s);
            var x1 = x.Slice(s * (k + m), s);
            var x2 = x.Slice(s * (k + 2 * m), s);
            var y0 = y.Slice(s * 3 * k, s);
            var y1 = y.Slice(s * (3 * k + 1), s);
            var y2 = y.Slice(s * (3 * k + 2), s);
            for (var q = 0; q < s; q++)
            {
                var a0 = x0[q];
                var a1 = x1[q];
                var a2 = x2[q];
                var t1 = a1 + a2;
                var t2 = a0 - 0.5 * t1;
                var d = a1 - a2;
                var t3 = new Complex(S3 * d.Imaginary, -S3 * d.Real);  // −i·(√3/2)·(a1 − a2)
                y0[q] = a0 + t1;
                y1[q] = (t2 + t3) * w1;
                y2[q] = (t2 - t3) * w2;
            }
        }
    }

    private static void Radix4(int m, int s, Span<Complex> x, Span<Complex> y, Complex[] tw)
    {
        for (var k = 0; k < m; k++)
        {
            var w1 = tw[3 * k];
            var w2 = tw[3 * k + 1];
            var w3 = tw[3 * k + 2];
            var x0 = x.Slice(s * k, s);
            var x1 = x.Slice(s * (k + m), s);
            var x2 = x.Slice(s * (k + 2 * m), s);
            var x3 = x.Slice(s * (k + 3 * m), s);
            var y0 = y.Slice(s * 4 * k, s);
            var y1 = y.Slice(s * (4 * k + 1), s);
            var y2 = y.Slice(s * (4 * k + 2), s);
            var y3 = y.Slice(s * (4 * k + 3), s);
            for (var q = 0; q < s; q++)
            {
                var a0 = x0[q];
                var a1 = x1[q];
                var a2 = x2[q];
                var a3 = x3[q];
                var b0 = a0 + a2;
                var b1 = a0 - a2;
                var b2 = a1 + a3;
                var d = a1 - a3;
                var b3 = new Complex(d.Imaginary, -d.Real);  // −i·(a1 − a3)
                y0[q] = b0 + b2;
                y1[q] = (b1 + b3) * w1;
                y2[q] = (b0 - b2) * w2;
                y3[q] = (b1 - b3) * w3;
            }
        }
    }

    private static void Radix5(int m, int s, Span<Complex> x, Span<Complex> y, Complex[] tw)
    {
        for (var k = 0; k < m; k++)
        {
            var w1 = tw[4 * k];
            var w2 = tw[4 * k + 1];
            var w3 = tw[4 * k + 2];
            var w4 = tw[4 * k + 3];
            var x0 = x.Slice(s * k, s);
            var x1 = x.Slice(s * (k + m), s);
            var x2 = x.Slice(s * (k + 2 * m), s);
            var x3 = x.Slice(s * (k + 3 * m), s);
            var x4 = x.Slice(s * (k + 4 * m), s);
            var y0 = y.Slice(s * 5 * k, s);
            var y1 = y.Slice(s * (5 * k + 1), s);
            var y2 = y.Slice(s * (5 * k + 2), s);
            var y3 = y.Slice(s * (5 * k + 3), s);
            var y4 = y.Slice(s * (5 * k + 4), s);
            for (var q = 0; q < s; q++)
            {
                var a0 = x0[q];
                var b1 = x1[q] + x4[q];
                var b2 = x2[q] + x3[q];
                var d1 = x1[q] - x4[q];
                var d2 = x2[q] - x3[q];
                var r1 = a0 + C5a * b1 + C5b * b2;
                var r2 = a0 + C5b * b1 + C5a * b2;
                var i1 = S5a * d1 + S5b * d2;
                var i2 = S5b * d1 - S5a * d2;
                var ji1 = new Complex(-i1.Imaginary, i1.Real);  // i·i1
                var ji2 = new Complex(-i2.Imaginary, i2.Real);
                y0[q] = a0 + b1 + b2;
                y1[q] = (r1 - ji1) * w1;
                y2[q] = (r2 - ji2) * w2;
                y3[q] = (r2 + ji2) * w3;
                y4[q] = (r1 + ji1) * w4;
            }
        }
    }

    private static void RadixGeneric(int p, int m, int s, Span<Complex> x, Span<Complex> y, Complex[] tw)
    {
        Span<Complex> a = p <= 64 ? stackalloc Complex[p] : new Complex[p];
        for (var k = 0; k < m; k++)
        {
            for (var q = 0; q < s; q++)
            {
                for (var j = 0; j < p; j++) a[j] = x[q + s * (k + j * m)];
                for (var u = 0; u < p; u++)
                {
                    var sum = Complex.Zero;
                    for (var j = 0; j < p; j++)
                    {
                        var angle = -2 * Math.PI * (j * u % p) / p;
                        sum += a[j] * new Complex(Math.Cos(angle), Math.Sin(angle));
                    }
                    y[q + s * (p * k + u)] = u == 0 ? sum : sum * tw[k * (p - 1) + u - 1];
                }
            }
        }
    }
}
