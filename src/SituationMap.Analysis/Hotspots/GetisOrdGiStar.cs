namespace SituationMap.Analysis.Hotspots;

/// <summary>
/// Local Getis–Ord Gi* (the unit itself included, ArcGIS's "Hot Spot Analysis") with analytic normal inference, exactly as
/// PySAL esda's <c>G_Local(y, w, transform, star=True)</c>: the self-weight is 1 for binary weights and, for row
/// standardisation, the row's largest weight before standardising (so 1/(kᵢ + 1) for binary input), as esda does;
/// Gᵢ* = Σⱼ wᵢⱼ yⱼ / Σⱼ yⱼ over all j including i, N = n, and E, Var and z as in <see cref="GetisOrdGi"/>. With binary
/// weights the z-score equals ArcGIS's Gi* z-score. Hot and cold bins at 99/95/90 % use the two-sided p-value, optionally
/// with the Benjamini–Hochberg FDR correction as ArcGIS offers. O(n + pairs).
/// </summary>
public sealed class GetisOrdGiStar
{
    public GetisOrdGiStar(SpatialWeights weights, WeightsTransform transform = WeightsTransform.Binary, bool falseDiscoveryRate = false)
    {
        ArgumentNullException.ThrowIfNull(weights);
        LocalG.CheckTransform(transform);
        Weights = weights;
        Transform = transform;
        FalseDiscoveryRate = falseDiscoveryRate;
    }

    public SpatialWeights Weights { get; }

    /// <summary>Binary (esda "B") or row-standardised (esda "R").</summary>
    public WeightsTransform Transform { get; }

    /// <summary>Whether the hot/cold bins use the Benjamini–Hochberg correction.</summary>
    public bool FalseDiscoveryRate { get; }

    public LocalGResult Compute(ReadOnlySpan<double> values) => LocalG.Compute(values, Weights, Transform, star: true, FalseDiscoveryRate);

    public static LocalGResult Compute(ReadOnlySpan<double> values, SpatialWeights weights, WeightsTransform transform = WeightsTransform.Binary, bool falseDiscoveryRate = false) =>
        new GetisOrdGiStar(weights, transform, falseDiscoveryRate).Compute(values);
}
