namespace SituationMap.DemoCity;

/// <summary>
/// One <see cref="Random"/> per layer, seeded from the options' seed and a fixed stream number, so that changing one
/// layer's settings (the incident count, say) leaves every other layer byte-identical. Seeded <see cref="Random"/>
/// uses the same algorithm on every .NET version; nothing here touches Random.Shared, the clock or string hashes.
/// </summary>
internal static class RandomStreams
{
    public const int UrbanForm = 1;
    public const int Streets = 2;
    public const int Districts = 3;
    public const int Zones = 4;
    public const int Cameras = 5;
    public const int Patrols = 6;
    public const int Incidents = 7;
    public const int Buildings = 8;

    public static Random For(int seed, int stream) => new(unchecked((seed * 7919) + (stream * 104_729)));
}

internal static class RandomExtensions
{
    public static double Uniform(this Random random, double min, double max) => min + ((max - min) * random.NextDouble());

    public static bool Chance(this Random random, double probability) => random.NextDouble() < probability;

    /// <summary>A standard normal deviate (Box–Muller).</summary>
    public static double Gaussian(this Random random)
    {
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    public static T Pick<T>(this Random random, IReadOnlyList<T> items) => items[random.Next(items.Count)];

    /// <summary>Index drawn with probability proportional to <paramref name="weights"/> (linear scan; for short lists).</summary>
    public static int PickWeighted(this Random random, IReadOnlyList<double> weights)
    {
        var total = 0.0;
        for (var i = 0; i < weights.Count; i++) total += weights[i];
        var target = random.NextDouble() * total;
        for (var i = 0; i < weights.Count; i++)
        {
            target -= weights[i];
            if (target < 0) return i;
        }
        return weights.Count - 1;
    }

    /// <summary>Fisher–Yates shuffle in place.</summary>
    public static void Shuffle<T>(this Random random, IList<T> items)
    {
        for (var i = items.Count - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}

/// <summary>Draws indices with probability proportional to fixed weights: O(n) to build, O(log n) per draw.</summary>
internal sealed class WeightedSampler
{
    private readonly double[] _cumulative;

    public WeightedSampler(IReadOnlyList<double> weights)
    {
        _cumulative = new double[weights.Count];
        var total = 0.0;
        for (var i = 0; i < weights.Count; i++)
        {
            total += Math.Max(0, weights[i]);
            _cumulative[i] = total;
        }
        Total = total;
    }

    public double Total { get; }

    public int Count => _cumulative.Length;

    public int Sample(Random random)
    {
        var target = random.NextDouble() * Total;
        var index = Array.BinarySearch(_cumulative, target);
        if (index < 0) index = ~index;
        // skip zero-weight entries that share the cumulative value
        while (index < _cumulative.Length - 1 && _cumulative[index] <= target) index++;
        return Math.Min(index, _cumulative.Length - 1);
    }
}

/// <summary>Splits an integer total over shares (largest remainder), so counts add up exactly.</summary>
internal static class Apportion
{
    public static int[] LargestRemainder(int total, IReadOnlyList<double> shares)
    {
        var sum = shares.Sum();
        var counts = new int[shares.Count];
        var remainders = new (double Remainder, int Index)[shares.Count];
        var assigned = 0;
        for (var i = 0; i < shares.Count; i++)
        {
            var exact = sum > 0 ? total * shares[i] / sum : 0;
            counts[i] = (int)Math.Floor(exact);
            assigned += counts[i];
            remainders[i] = (exact - counts[i], i);
        }
        Array.Sort(remainders, (a, b) => a.Remainder != b.Remainder ? b.Remainder.CompareTo(a.Remainder) : a.Index.CompareTo(b.Index));
        for (var k = 0; assigned < total && shares.Count > 0; k = (k + 1) % shares.Count, assigned++)
        {
            counts[remainders[k].Index]++;
        }
        return counts;
    }
}
