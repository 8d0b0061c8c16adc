namespace SituationMap.Analysis.Routing;

/// <summary>How a unit moves on the road graph; each mode has its own arcs and travel times.</summary>
public enum TravelMode
{
    Car,
    Bicycle,
    Foot,
}

/// <summary>A set of <see cref="TravelMode"/>s (for access restrictions).</summary>
[Flags]
public enum TravelModes
{
    None = 0,
    Car = 1,
    Bicycle = 2,
    Foot = 4,
    All = Car | Bicycle | Foot,
}

/// <summary>Conversions between <see cref="TravelMode"/> and <see cref="TravelModes"/>.</summary>
public static class TravelModeSets
{
    /// <summary>All modes, in index order (Car = 0, Bicycle = 1, Foot = 2).</summary>
    public static readonly TravelMode[] Each = [TravelMode.Car, TravelMode.Bicycle, TravelMode.Foot];

    public static TravelModes ToSet(this TravelMode mode) => (TravelModes)(1 << (int)mode);

    public static bool Contains(this TravelModes set, TravelMode mode) => (set & mode.ToSet()) != 0;
}
