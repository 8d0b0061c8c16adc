namespace SituationMap.Analysis.Hotspots;

/// <summary>Per-unit results of <see cref="GetisOrdGi"/> or <see cref="GetisOrdGiStar"/>, in unit order.</summary>
public sealed class LocalGResult
{
    internal LocalGResult(bool includesSelf, WeightsTransform transform, bool falseDiscoveryRate, double[] g, double[] expected, double[] variance, double[] z)
    {
        IncludesSelf = includesSelf;
        Transform = transform;
        FalseDiscoveryRateApplied = falseDiscoveryRate;
        G = g;
        ExpectedG = expected;
        VarianceG = variance;
        Z = z;
        POneSided = new double[z.Length];
        PTwoSided = new double[z.Length];
        for (var i = 0; i < z.Length; i++)
        {
            POneSided[i] = StandardNormal.Survival(Math.Abs(z[i]));
            PTwoSided[i] = 2 * POneSided[i];
        }
        Bins = HotSpotBins.Classify(z, PTwoSided, falseDiscoveryRate);
    }

    /// <summary>True for Gi* (the unit's own value is in its neighbourhood), false for Gi.</summary>
    public bool IncludesSelf { get; }

    public WeightsTransform Transform { get; }

    public bool FalseDiscoveryRateApplied { get; }

    /// <summary>Gᵢ = Σⱼ wᵢⱼ yⱼ / Σⱼ yⱼ (the sums over j ≠ i for Gi), esda's <c>Gs</c>.</summary>
    public double[] G { get; }

    /// <summary>E[Gᵢ] under the null, esda's <c>EGs</c>.</summary>
    public double[] ExpectedG { get; }

    /// <summary>Var[Gᵢ] under the null, esda's <c>VGs</c>.</summary>
    public double[] VarianceG { get; }

    /// <summary>Standardised Gᵢ, esda's <c>Zs</c> (NaN for an island of Gi, or when all values are equal).</summary>
    public double[] Z { get; }

    /// <summary>P(Z ≥ |zᵢ|), esda's <c>p_norm</c>.</summary>
    public double[] POneSided { get; }

    /// <summary>P(|Z| ≥ |zᵢ|), the p-value ArcGIS reports and the bins use.</summary>
    public double[] PTwoSided { get; }

    /// <summary>Hot/cold at 99/95/90 % confidence from <see cref="PTwoSided"/> (FDR-corrected when requested).</summary>
    public HotSpotBin[] Bins { get; }
}
