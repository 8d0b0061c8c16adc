namespace SituationMap.Analysis.Domain;

/// <summary>Default technical-prevention (video) coverage targets by zone kind, as fractions of the zone's area.</summary>
public static class CoverageTargets
{
    /// <summary>Key facilities 100 %, crowded public places 80 %, residential communities 70 %; schools are treated as
    /// key facilities; area-type zones (fringes, mining areas, urban villages, hotspot areas) default to 50 %; a
    /// district has no default target.</summary>
    public static double? DefaultFor(ZoneKind kind) => kind switch
    {
        ZoneKind.KeyFacility => 1.00,
        ZoneKind.School => 1.00,
        ZoneKind.CrowdedPublicPlace => 0.80,
        ZoneKind.ResidentialCommunity => 0.70,
        ZoneKind.UrbanRuralFringe or ZoneKind.MiningArea or ZoneKind.UrbanVillage or ZoneKind.DisorderHotspotArea => 0.50,
        _ => null,
    };
}
