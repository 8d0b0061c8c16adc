namespace SituationMap.Analysis.Hotspots;

/// <summary>Options of <see cref="EmergingHotspots"/>; the defaults are ArcGIS Pro's.</summary>
public sealed record EmergingHotspotOptions
{
    /// <summary>
    /// How many previous time steps belong to a bin's neighbourhood (ArcGIS's "Neighborhood Time Step", default 1: the
    /// same step and the one before).
    /// </summary>
    public int TimeNeighbourSteps { get; init; } = 1;

    /// <summary>Benjamini–Hochberg correction of the bins' p-values over the whole cube (ArcGIS Pro applies it).</summary>
    public bool FalseDiscoveryRate { get; init; } = true;

    /// <summary>Two-sided level at which a Mann–Kendall trend counts as significant (90 % confidence).</summary>
    public double TrendAlpha { get; init; } = 0.10;
}

/// <summary>Results of <see cref="EmergingHotspots"/>: per bin (cell-major, as <see cref="SpaceTimeCube"/>) and per cell.</summary>
public sealed class EmergingHotspotResult
{
    internal EmergingHotspotResult(int cellCount, int stepCount, double[] z, double[] p, HotSpotBin[] bins, TrendTest[] trends, EmergingPattern[] patterns)
    {
        CellCount = cellCount;
        StepCount = stepCount;
        Z = z;
        PTwoSided = p;
        Bins = bins;
        Trends = trends;
        Patterns = patterns;
    }

    public int CellCount { get; }

    public int StepCount { get; }

    /// <summary>Space-time Gi* z-score of every bin, cell-major.</summary>
    public double[] Z { get; }

    /// <summary>Two-sided p-value of every bin, cell-major.</summary>
    public double[] PTwoSided { get; }

    /// <summary>Hot/cold bin at 99/95/90 % of every bin (FDR-corrected when the options say so), cell-major.</summary>
    public HotSpotBin[] Bins { get; }

    /// <summary>Mann–Kendall test of each cell's z-score series.</summary>
    public TrendTest[] Trends { get; }

    /// <summary>The pattern of each cell.</summary>
    public EmergingPattern[] Patterns { get; }

    public ReadOnlySpan<double> ZSeries(int cell) => Z.AsSpan(cell * StepCount, StepCount);

    public ReadOnlySpan<HotSpotBin> BinSeries(int cell) => Bins.AsSpan(cell * StepCount, StepCount);
}

/// <summary>
/// Emerging Hot Spot Analysis (ArcGIS Pro, Space Time Pattern Mining) on a <see cref="SpaceTimeCube"/>.
/// <para>
/// <b>Space-time Gi*.</b> The neighbourhood of bin (i, t) is every bin (j, t′) with j = i or j a neighbour of i in the
/// spatial weights (for example <see cref="SpatialWeights.DistanceBand(ReadOnlySpan{double}, ReadOnlySpan{double}, double)"/>,
/// threshold inclusive), and t − k ≤ t′ ≤ t, t′ ≥ 0, for k = <see cref="EmergingHotspotOptions.TimeNeighbourSteps"/>
/// (truncated at the first step). Weights are binary. The cube is one data set of n = cells × steps bins: with x̄ and S the
/// mean and population standard deviation of all bins, Lᵢₜ the neighbourhood sum and Wᵢₜ the neighbourhood size,
/// z = (Lᵢₜ − x̄·Wᵢₜ) / (S·√((n·Wᵢₜ − Wᵢₜ²)/(n − 1))), ArcGIS's Gi* (equal to esda's binary Gi*). Bins get two-sided
/// p-values and hot/cold classes at 99/95/90 %, Benjamini–Hochberg-corrected over the whole cube by default.
/// </para>
/// <para>
/// <b>Trend.</b> The Mann–Kendall test on each cell's z-score series (<see cref="MannKendall"/>), significant at
/// <see cref="EmergingHotspotOptions.TrendAlpha"/> (two-sided, 90 % confidence by default).
/// </para>
/// <para>
/// <b>Patterns</b> (<see cref="Classify"/>), following ArcGIS's published definitions. "Hot" means a significant hot bin at
/// 90 % confidence or more, "90 % of the steps" means at least ⌈0.9·T⌉ of the T steps. For a location whose final step is hot:
/// at least 90 % of the steps hot → <i>intensifying</i> with a significant upward trend, <i>diminishing</i> with a significant
/// downward trend, otherwise <i>persistent</i>; else, if any earlier step was a significant cold spot → <i>oscillating</i>;
/// else if the final step is its only hot step → <i>new</i>; else if its hot steps form one uninterrupted run ending at the
/// final step (so at least two, never hot before the run) → <i>consecutive</i>; else (on-again, off-again, never cold) →
/// <i>sporadic</i>. A location whose final step is not significant but that was hot in at least 90 % of the steps →
/// <i>historical</i>. Cold patterns mirror these (an intensifying cold spot has a significant downward trend). Everything else
/// → <i>no pattern</i>. ArcGIS's wording leaves one overlap open: a location hot only at the final step after an earlier cold
/// step fits both "new" and "oscillating"; like sfdep's reimplementation, oscillating takes precedence (new and consecutive
/// require no earlier significant bin of either sign).
/// </para>
/// Cost: O(T·(cells + pairs)) for the Gi*, O(cells·T²) for the trend tests, O(n log n) for the FDR correction, n = cells·T.
/// </summary>
public sealed class EmergingHotspots
{
    public EmergingHotspots(SpatialWeights spatialNeighbours, EmergingHotspotOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(spatialNeighbours);
        options ??= new EmergingHotspotOptions();
        ArgumentOutOfRangeException.ThrowIfNegative(options.TimeNeighbourSteps);
        if (!(options.TrendAlpha is > 0 and < 1)) throw new ArgumentOutOfRangeException(nameof(options), "TrendAlpha must lie in (0, 1).");
        SpatialNeighbours = spatialNeighbours;
        Options = options;
    }

    public SpatialWeights SpatialNeighbours { get; }

    public EmergingHotspotOptions Options { get; }

    public static EmergingHotspotResult Analyse(SpaceTimeCube cube, SpatialWeights spatialNeighbours, EmergingHotspotOptions? options = null) =>
        new EmergingHotspots(spatialNeighbours, options).Analyse(cube);

    public EmergingHotspotResult Analyse(SpaceTimeCube cube)
    {
        ArgumentNullException.ThrowIfNull(cube);
        var cells = cube.CellCount;
        var steps = cube.StepCount;
        if (SpatialNeighbours.Count != cells) throw new ArgumentException($"The weights are for {SpatialNeighbours.Count} cells, the cube has {cells}.", nameof(cube));
        var values = cube.Values;
        var n = (double)values.Length;
        if (n < 3) throw new ArgumentException("The cube needs at least 3 bins.", nameof(cube));
        var sum = 0.0;
        foreach (var v in values)
        {
            if (!double.IsFinite(v)) throw new ArgumentException("The cube's values must be finite.", nameof(cube));
            sum += v;
        }
        var mean = sum / n;
        var squares = 0.0;
        foreach (var v in values) squares += (v - mean) * (v - mean);
        var sd = Math.Sqrt(squares / n);

        // window sums over the time neighbourhood: window[j, t] = Σ_{t' = max(0, t − k)..t} x[j, t']
        var k = Options.TimeNeighbourSteps;
        var window = new double[values.Length];
        for (var j = 0; j < cells; j++)
        {
            var series = values.Slice(j * steps, steps);
            var running = 0.0;
            for (var t = 0; t < steps; t++)
            {
                running += series[t];
                if (t - k - 1 >= 0) running -= series[t - k - 1];
                window[j * steps + t] = running;
            }
        }

        var z = new double[values.Length];
        var p = new double[values.Length];
        Parallel.For(0, cells, i =>
        {
            var neighbours = SpatialNeighbours.NeighboursOf(i);
            var spatialCount = neighbours.Length + 1;
            for (var t = 0; t < steps; t++)
            {
                var local = window[i * steps + t];
                foreach (var j in neighbours) local += window[j * steps + t];
                double size = spatialCount * (Math.Min(k, t) + 1);
                var denominator = sd * Math.Sqrt((n * size - size * size) / (n - 1));
                var score = denominator > 0 ? (local - mean * size) / denominator : 0;
                z[i * steps + t] = score;
                p[i * steps + t] = StandardNormal.TwoSided(score);
            }
        });
        var bins = HotSpotBins.Classify(z, p, Options.FalseDiscoveryRate);

        var trends = new TrendTest[cells];
        var patterns = new EmergingPattern[cells];
        Parallel.For(0, cells, i =>
        {
            trends[i] = MannKendall.Test(z.AsSpan(i * steps, steps));
            patterns[i] = Classify(bins.AsSpan(i * steps, steps), trends[i], Options.TrendAlpha);
        });
        return new EmergingHotspotResult(cells, steps, z, p, bins, trends, patterns);
    }

    /// <summary>
    /// The pattern of one location from its bins (oldest first) and the trend of its z-scores; the rules are in the
    /// class documentation. O(T).
    /// </summary>
    public static EmergingPattern Classify(ReadOnlySpan<HotSpotBin> bins, TrendTest trend, double trendAlpha = 0.10)
    {
        var steps = bins.Length;
        if (steps == 0) return EmergingPattern.NoPattern;
        int hot = 0, cold = 0;
        foreach (var b in bins)
        {
            if (b > 0) hot++;
            else if (b < 0) cold++;
        }
        var direction = trend.Direction(trendAlpha);
        var last = bins[^1];
        if (last > 0) return Final(bins, hot, cold, direction, sign: 1);
        if (last < 0) return Final(bins, cold, hot, -direction, sign: -1);
        if (AtLeastNinetyPercent(hot, steps)) return EmergingPattern.HistoricalHotSpot;
        if (AtLeastNinetyPercent(cold, steps)) return EmergingPattern.HistoricalColdSpot;
        return EmergingPattern.NoPattern;
    }

    /// <summary>Patterns of a location whose final bin is significant with the given sign; "same"/"opposite" count bins of that sign and the other.</summary>
    private static EmergingPattern Final(ReadOnlySpan<HotSpotBin> bins, int same, int opposite, int directionTowardsSign, int sign)
    {
        var hot = sign > 0;
        if (AtLeastNinetyPercent(same, bins.Length))
        {
            if (directionTowardsSign > 0) return hot ? EmergingPattern.IntensifyingHotSpot : EmergingPattern.IntensifyingColdSpot;
            if (directionTowardsSign < 0) return hot ? EmergingPattern.DiminishingHotSpot : EmergingPattern.DiminishingColdSpot;
            return hot ? EmergingPattern.PersistentHotSpot : EmergingPattern.PersistentColdSpot;
        }
        if (opposite > 0) return hot ? EmergingPattern.OscillatingHotSpot : EmergingPattern.OscillatingColdSpot;
        if (same == 1) return hot ? EmergingPattern.NewHotSpot : EmergingPattern.NewColdSpot;
        var run = 0;
        for (var t = bins.Length - 1; t >= 0 && Math.Sign((int)bins[t]) == sign; t--) run++;
        if (run == same) return hot ? EmergingPattern.ConsecutiveHotSpot : EmergingPattern.ConsecutiveColdSpot;
        return hot ? EmergingPattern.SporadicHotSpot : EmergingPattern.SporadicColdSpot;
    }

    private static bool AtLeastNinetyPercent(int count, int steps) => 10L * count >= 9L * steps;
}
