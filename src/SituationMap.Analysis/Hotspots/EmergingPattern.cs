namespace SituationMap.Analysis.Hotspots;

/// <summary>
/// ArcGIS's Emerging Hot Spot Analysis pattern of a location; see <see cref="EmergingHotspots"/> for the exact rules.
/// The cold-spot patterns mirror the hot-spot ones with "cold" for "hot" and the trend reversed.
/// </summary>
public enum EmergingPattern
{
    NoPattern = 0,
    NewHotSpot,
    ConsecutiveHotSpot,
    IntensifyingHotSpot,
    PersistentHotSpot,
    DiminishingHotSpot,
    SporadicHotSpot,
    OscillatingHotSpot,
    HistoricalHotSpot,
    NewColdSpot,
    ConsecutiveColdSpot,
    IntensifyingColdSpot,
    PersistentColdSpot,
    DiminishingColdSpot,
    SporadicColdSpot,
    OscillatingColdSpot,
    HistoricalColdSpot,
}
