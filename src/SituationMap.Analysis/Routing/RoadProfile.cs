using System.Globalization;

namespace SituationMap.Analysis.Routing;

/// <summary>Which way a road may be travelled, relative to its digitised direction.</summary>
public enum OneWayDirection
{
    Both,
    Forward,
    Backward,
}

/// <summary>
/// Speeds and access per OSM highway class and <see cref="TravelMode"/> (free flow, no turn costs, no congestion).
/// <list type="bullet">
/// <item><b>Car</b>: the parsed <c>maxspeed</c> when present, else the class default in km/h: motorway 110, motorway_link 60,
/// trunk 90, trunk_link 50, primary 70, primary_link 40, secondary 60, secondary_link 40, tertiary 50, tertiary_link 30,
/// unclassified 40, residential 30, road 30, living_street 10, service 15, track 15. No car access on pedestrian, footway,
/// path, cycleway, bridleway, steps.</item>
/// <item><b>Bicycle</b>: 18 km/h; track, path and bridleway 12; pedestrian and footway 5 (pushed); no access on motorway,
/// motorway_link, trunk, trunk_link, steps. Capped by a lower <c>maxspeed</c>.</item>
/// <item><b>Foot</b>: 5 km/h; steps 2.5; no access on motorway, motorway_link, trunk, trunk_link.</item>
/// </list>
/// Other highway values (proposed, construction, platform, raceway, bus_stop, corridor, elevator, …) are not roads.
/// Oneway (<see cref="ParseOneWay"/>) applies to car and bicycle; foot ignores it.
/// </summary>
public static class RoadProfile
{
    private static readonly Dictionary<string, double> CarKmh = new(StringComparer.Ordinal)
    {
        ["motorway"] = 110,
        ["motorway_link"] = 60,
        ["trunk"] = 90,
        ["trunk_link"] = 50,
        ["primary"] = 70,
        ["primary_link"] = 40,
        ["secondary"] = 60,
        ["secondary_link"] = 40,
        ["tertiary"] = 50,
        ["tertiary_link"] = 30,
        ["unclassified"] = 40,
        ["residential"] = 30,
        ["road"] = 30,
        ["living_street"] = 10,
        ["service"] = 15,
        ["track"] = 15,
    };

    private static readonly HashSet<string> NonMotorised = new(StringComparer.Ordinal)
    {
        "pedestrian", "footway", "path", "cycleway", "bridleway", "steps",
    };

    private static readonly HashSet<string> NoBikeOrFoot = new(StringComparer.Ordinal) { "motorway", "motorway_link", "trunk", "trunk_link" };

    /// <summary>Whether an OSM highway value is a road of the graph (for any mode).</summary>
    public static bool IsRoad(string highway) => CarKmh.ContainsKey(highway) || NonMotorised.Contains(highway);

    /// <summary>The speed in km/h of the mode on the line, or null when the mode may not use it.</summary>
    public static double? SpeedKmh(TravelMode mode, RoadLine line)
    {
        ArgumentNullException.ThrowIfNull(line);
        if (!IsRoad(line.Highway) || line.Forbidden.Contains(mode)) return null;
        var limit = ParseMaxSpeedKmh(line.MaxSpeed);
        switch (mode)
        {
            case TravelMode.Car:
                if (!CarKmh.TryGetValue(line.Highway, out var car)) return null;
                return limit ?? car;
            case TravelMode.Bicycle:
                if (NoBikeOrFoot.Contains(line.Highway) || line.Highway == "steps") return null;
                var bike = line.Highway switch
                {
                    "track" or "path" or "bridleway" => 12.0,
                    "pedestrian" or "footway" => 5.0,
                    _ => 18.0,
                };
                return limit is { } l ? Math.Min(bike, l) : bike;
            default:
                if (NoBikeOrFoot.Contains(line.Highway)) return null;
                return line.Highway == "steps" ? 2.5 : 5.0;
        }
    }

    /// <summary>
    /// The direction(s) the mode may travel: <c>yes</c>/<c>1</c>/<c>true</c> forward, <c>-1</c>/<c>reverse</c> backward,
    /// <c>no</c>/<c>false</c>/<c>0</c> both; without a value, <c>junction=roundabout|circular</c> and highway motorway /
    /// motorway_link imply forward. Foot always both.
    /// </summary>
    public static OneWayDirection ParseOneWay(TravelMode mode, RoadLine line)
    {
        ArgumentNullException.ThrowIfNull(line);
        if (mode == TravelMode.Foot) return OneWayDirection.Both;
        switch (line.OneWay?.Trim().ToLowerInvariant())
        {
            case "yes" or "1" or "true": return OneWayDirection.Forward;
            case "-1" or "reverse": return OneWayDirection.Backward;
            case "no" or "false" or "0": return OneWayDirection.Both;
        }
        if (line.Junction is "roundabout" or "circular") return OneWayDirection.Forward;
        return line.Highway is "motorway" or "motorway_link" ? OneWayDirection.Forward : OneWayDirection.Both;
    }

    /// <summary>
    /// An OSM <c>maxspeed</c> in km/h: a number (km/h), <c>N mph</c>, <c>N knots</c>, <c>N km/h</c>, <c>walk</c> (5),
    /// <c>XX:living_street</c> (20), <c>XX:urban</c> (50), <c>XX:rural</c> (80), <c>XX:trunk</c> (100),
    /// <c>XX:motorway</c> (120); the first of several values separated by <c>;</c>. Null for <c>none</c>, <c>signals</c>,
    /// unparsable or non-positive values (the class default applies).
    /// </summary>
    public static double? ParseMaxSpeedKmh(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        var text = value.Split(';')[0].Trim().ToLowerInvariant();
        if (text == "walk") return 5;
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon > 0)
        {
            return text[(colon + 1)..] switch
            {
                "living_street" => 20,
                "urban" => 50,
                "rural" => 80,
                "trunk" => 100,
                "motorway" => 120,
                _ => null,
            };
        }
        var factor = 1.0;
        if (text.EndsWith("mph", StringComparison.Ordinal)) { factor = 1.609344; text = text[..^3]; }
        else if (text.EndsWith("knots", StringComparison.Ordinal)) { factor = 1.852; text = text[..^5]; }
        else if (text.EndsWith("km/h", StringComparison.Ordinal)) text = text[..^4];
        else if (text.EndsWith("kmh", StringComparison.Ordinal)) text = text[..^3];
        return double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && number > 0 && double.IsFinite(number)
            ? number * factor
            : null;
    }
}
