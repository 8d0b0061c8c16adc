namespace SituationMap.Analysis.Hotspots;

/// <summary>LISA quadrants in PySAL's coding (esda <c>Moran_Local.q</c> with <c>geoda_quads=False</c>).</summary>
public enum MoranQuadrant : byte
{
    /// <summary>Not significant (only in <see cref="LocalMoranResult.Clusters"/>).</summary>
    None = 0,

    /// <summary>High value, high neighbours (z &gt; 0, lag &gt; 0).</summary>
    HighHigh = 1,

    /// <summary>Low value, high neighbours.</summary>
    LowHigh = 2,

    /// <summary>Low value, low neighbours.</summary>
    LowLow = 3,

    /// <summary>High value, low neighbours.</summary>
    HighLow = 4,
}

/// <summary>Per-unit results of <see cref="LocalMoran"/>, in unit order. Permutation fields are empty when none were run.</summary>
public sealed class LocalMoranResult
{
    internal LocalMoranResult(int permutations) => Permutations = permutations;

    public int Permutations { get; }

    /// <summary>Iᵢ = (n − 1)·zᵢ·lagᵢ / Σ z², z standardised by the population SD (esda's <c>Is</c>).</summary>
    public double[] I { get; internal init; } = [];

    /// <summary>The spatial lag of the standardised values.</summary>
    public double[] Lag { get; internal init; } = [];

    public MoranQuadrant[] Quadrants { get; internal init; } = [];

    /// <summary>Expectation under conditional randomisation (Sokal et al. 1998, A7), esda's <c>EIc</c>.</summary>
    public double[] ExpectedConditional { get; internal init; } = [];

    /// <summary>Variance under conditional randomisation (Sokal et al. 1998, A8), esda's <c>VIc</c>.</summary>
    public double[] VarianceConditional { get; internal init; } = [];

    /// <summary>Expectation under total randomisation, −wᵢ/(n − 1) (esda's <c>EI</c>).</summary>
    public double[] ExpectedTotal { get; internal init; } = [];

    /// <summary>
    /// Variance under total randomisation (Sokal et al. 1998, A4*) with b₂ = m₄/m₂² the sample kurtosis. (esda's <c>VI</c>
    /// divides each zᵢ⁴ by n instead of summing them, so the two differ; the conditional moments agree.)
    /// </summary>
    public double[] VarianceTotal { get; internal init; } = [];

    /// <summary>
    /// esda's folded pseudo p-value (k + 1)/(P + 1) from conditional randomisation; 1 for islands and for units whose
    /// simulations all tie the observation (zᵢ = 0), where esda's folding would report the smallest possible p.
    /// </summary>
    public double[] PseudoP { get; internal init; } = [];

    /// <summary>Mean of the simulated Iᵢ.</summary>
    public double[] MeanSimulated { get; internal init; } = [];

    /// <summary>Variance (ddof = 0) of the simulated Iᵢ.</summary>
    public double[] VarianceSimulated { get; internal init; } = [];

    /// <summary>(Iᵢ − mean)/SD of the simulations (NaN for islands).</summary>
    public double[] ZSimulated { get; internal init; } = [];

    /// <summary>P(Z ≥ |z_sim|), esda's <c>p_z_sim</c>.</summary>
    public double[] PZSimulated { get; internal init; } = [];

    /// <summary>
    /// The quadrant of the units whose pseudo p-value is at most α (Benjamini–Hochberg over all units when
    /// <paramref name="falseDiscoveryRate"/>), <see cref="MoranQuadrant.None"/> elsewhere. Needs permutations.
    /// </summary>
    public MoranQuadrant[] Clusters(double alpha = 0.05, bool falseDiscoveryRate = false)
    {
        if (Permutations == 0) throw new InvalidOperationException("Clusters need permutation p-values: run LocalMoran with permutations > 0.");
        var threshold = falseDiscoveryRate ? FalseDiscoveryRate.Threshold(PseudoP, alpha) : alpha;
        var clusters = new MoranQuadrant[I.Length];
        for (var i = 0; i < clusters.Length; i++) clusters[i] = PseudoP[i] <= threshold ? Quadrants[i] : MoranQuadrant.None;
        return clusters;
    }
}

/// <summary>
/// Local Moran's I (LISA, Anselin 1995) as PySAL esda's <c>Moran_Local(y, w, transformation)</c>:
/// Iᵢ = (n − 1)·zᵢ·Σⱼ wᵢⱼ zⱼ / Σₖ zₖ² with zᵢ = (yᵢ − ȳ)/σ (population σ); quadrants coded 1 HH, 2 LH, 3 LL, 4 HL;
/// analytic moments under conditional randomisation, EIc = −zᵢ²wᵢ/((n − 1)m₂) and
/// VIc = (zᵢ/m₂)² · n/(n − 2) · (wᵢ⁽²⁾ − wᵢ²/(n − 1)) · (m₂ − zᵢ²/(n − 1)), with wᵢ = Σⱼ wᵢⱼ, wᵢ⁽²⁾ = Σⱼ wᵢⱼ², m₂ = Σz²/n;
/// and permutation inference by conditional randomisation as esda's <c>crand</c>: in each of P permutations a seeded random
/// sample of k_max distinct other units is drawn once and shared by all sites, site i using its first kᵢ (so the run is
/// reproducible for a seed and independent of thread scheduling). Pseudo p = esda's folded (k + 1)/(P + 1).
/// Cost O(n + pairs) analytic, O(P · (k_max + pairs)) with permutations (sites in parallel).
/// </summary>
public sealed class LocalMoran
{
    public LocalMoran(SpatialWeights weights, WeightsTransform transform = WeightsTransform.RowStandardised, int permutations = 999, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentOutOfRangeException.ThrowIfNegative(permutations);
        Weights = weights.Transform(transform);
        Transform = transform;
        Permutations = permutations;
        Seed = seed;
    }

    /// <summary>The weights after the transform.</summary>
    public SpatialWeights Weights { get; }

    public WeightsTransform Transform { get; }

    public int Permutations { get; }

    public int Seed { get; }

    public static LocalMoranResult Compute(
        ReadOnlySpan<double> values, SpatialWeights weights, WeightsTransform transform = WeightsTransform.RowStandardised, int permutations = 999, int seed = 0) =>
        new LocalMoran(weights, transform, permutations, seed).Compute(values);

    public LocalMoranResult Compute(ReadOnlySpan<double> y)
    {
        var count = y.Length;
        if (Weights.Count != count) throw new ArgumentException($"The weights are for {Weights.Count} units, the values for {count}.", nameof(y));
        if (count < 3) throw new ArgumentException("Local Moran needs at least 3 units.", nameof(y));
        var n = (double)count;
        var (mean, sd) = PermutationInference.MeanAndDeviation(y);
        if (!(sd > 0)) throw new ArgumentException("All values are equal: Local Moran is undefined.", nameof(y));
        var z = new double[count];
        var m2 = 0.0;
        var m4 = 0.0;
        for (var i = 0; i < count; i++)
        {
            z[i] = (y[i] - mean) / sd;
            m2 += z[i] * z[i];
            m4 += z[i] * z[i] * z[i] * z[i];
        }
        var denominator = m2;
        m2 /= n;
        m4 /= n;
        var kurtosis = m4 / (m2 * m2);
        var lag = Weights.Lag(z);
        var local = new double[count];
        var quadrants = new MoranQuadrant[count];
        var eic = new double[count];
        var vic = new double[count];
        var ei = new double[count];
        var vi = new double[count];
        for (var i = 0; i < count; i++)
        {
            local[i] = (n - 1) * z[i] * lag[i] / denominator;
            quadrants[i] = (z[i] > 0, lag[i] > 0) switch
            {
                (true, true) => MoranQuadrant.HighHigh,
                (false, true) => MoranQuadrant.LowHigh,
                (false, false) => MoranQuadrant.LowLow,
                (true, false) => MoranQuadrant.HighLow,
            };
            double wi = 0, wi2 = 0;
            foreach (var w in Weights.WeightsOf(i))
            {
                wi += w;
                wi2 += w * w;
            }
            var zi2 = z[i] * z[i];
            eic[i] = -(zi2 * wi) / ((n - 1) * m2);
            vic[i] = (z[i] / m2) * (z[i] / m2) * (n / (n - 2)) * (wi2 - wi * wi / (n - 1)) * (m2 - zi2 / (n - 1));
            ei[i] = -wi / (n - 1);
            vi[i] = wi2 * (n - kurtosis) / (n - 1) + (wi * wi - wi2) * (2 * kurtosis - n) / ((n - 1) * (n - 2)) - ei[i] * ei[i];
        }
        if (Permutations == 0)
        {
            return new LocalMoranResult(0)
            {
                I = local,
                Lag = lag,
                Quadrants = quadrants,
                ExpectedConditional = eic,
                VarianceConditional = vic,
                ExpectedTotal = ei,
                VarianceTotal = vi,
            };
        }

        var kMax = Weights.MaxCardinality;
        var draws = PermutationInference.ConditionalDraws(count, Permutations, kMax, Seed);
        var pseudoP = new double[count];
        var meanSim = new double[count];
        var varianceSim = new double[count];
        var zSim = new double[count];
        var pzSim = new double[count];
        var permutations = Permutations;
        Parallel.For(0, count, () => new double[permutations], (i, _, simulated) =>
        {
            var neighbours = Weights.NeighboursOf(i);
            var w = Weights.WeightsOf(i);
            if (neighbours.Length == 0)
            {
                pseudoP[i] = 1;
                zSim[i] = double.NaN;
                pzSim[i] = double.NaN;
                return simulated;
            }
            var scale = (n - 1) * z[i] / denominator;
            var atLeast = 0;
            for (var p = 0; p < permutations; p++)
            {
                var row = draws.AsSpan(p * kMax, kMax);
                var s = 0.0;
                for (var k = 0; k < neighbours.Length; k++)
                {
                    var a = row[k];
                    s += w[k] * z[a < i ? a : a + 1];
                }
                simulated[p] = scale * s;
                if (simulated[p] >= local[i]) atLeast++;
            }
            var (m, sdSim) = PermutationInference.MeanAndDeviation(simulated);
            meanSim[i] = m;
            varianceSim[i] = sdSim * sdSim;
            if (!(sdSim > 0))
            {
                // zᵢ = 0 (or every draw gives the same lag): the observation ties every simulation, nothing to reject
                pseudoP[i] = 1;
                zSim[i] = double.NaN;
                pzSim[i] = double.NaN;
                return simulated;
            }
            pseudoP[i] = PermutationInference.PseudoP(atLeast, permutations);
            zSim[i] = (local[i] - m) / sdSim;
            pzSim[i] = StandardNormal.Survival(Math.Abs(zSim[i]));
            return simulated;
        }, _ => { });
        return new LocalMoranResult(Permutations)
        {
            I = local,
            Lag = lag,
            Quadrants = quadrants,
            ExpectedConditional = eic,
            VarianceConditional = vic,
            ExpectedTotal = ei,
            VarianceTotal = vi,
            PseudoP = pseudoP,
            MeanSimulated = meanSim,
            VarianceSimulated = varianceSim,
            ZSimulated = zSim,
            PZSimulated = pzSim,
        };
    }
}
