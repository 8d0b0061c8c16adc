namespace SituationMap.Analysis.Benchmarks;

/// <summary>Seeded synthetic incident locations: a mixture of Gaussian clusters over a uniform background, in metres.</summary>
internal static class SyntheticCrime
{
    /// <summary>
    /// n points in [0, size)²: 70 % in 40 clusters (σ 100–600 m), 30 % uniform. Deterministic for a seed.
    /// </summary>
    public static (double[] X, double[] Y) Points(int n, double size, int seed)
    {
        var random = new Random(seed);
        var centres = Enumerable.Range(0, 40).Select(_ => (X: size * (0.1 + 0.8 * random.NextDouble()), Y: size * (0.1 + 0.8 * random.NextDouble()), S: 100 + 500 * random.NextDouble())).ToArray();
        var x = new double[n];
        var y = new double[n];
        for (var i = 0; i < n; i++)
        {
            if (random.NextDouble() < 0.3)
            {
                x[i] = size * random.NextDouble();
                y[i] = size * random.NextDouble();
                continue;
            }
            var c = centres[random.Next(centres.Length)];
            x[i] = Math.Clamp(c.X + c.S * Gaussian(random), 0, size - 1e-6);
            y[i] = Math.Clamp(c.Y + c.S * Gaussian(random), 0, size - 1e-6);
        }
        return (x, y);
    }

    public static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
