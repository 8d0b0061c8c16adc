using NetTopologySuite.Geometries;

namespace SituationMap.Analysis.Routing;

/// <summary>
/// One road as read from a layer: its vertices in metres (a <see cref="Geometry.MetricProjection"/> plane) and the
/// attributes the profiles use, with OpenStreetMap's tag values and meanings. <paramref name="NodeIds"/> (same length as
/// the coordinates) are OSM node ids; without them, vertices with identical coordinates are the same node.
/// </summary>
/// <param name="Coordinates">At least two vertices, metres.</param>
/// <param name="Highway">The OSM highway class (<c>residential</c>, <c>primary</c>, …); see <see cref="RoadProfile"/>.</param>
/// <param name="OneWay">The OSM <c>oneway</c> value (<c>yes</c>/<c>1</c>/<c>true</c>, <c>-1</c>/<c>reverse</c>, <c>no</c>), or null.</param>
/// <param name="MaxSpeed">The OSM <c>maxspeed</c> value (<c>50</c>, <c>30 mph</c>, <c>walk</c>, <c>CH:urban</c>), or null.</param>
/// <param name="Name">Street name, if any.</param>
/// <param name="Junction">The OSM <c>junction</c> value; <c>roundabout</c> and <c>circular</c> imply oneway for vehicles.</param>
/// <param name="Forbidden">Modes excluded by access tags (<c>access=no</c>, <c>foot=no</c>, …).</param>
/// <param name="NodeIds">OSM node ids per vertex, or null to join lines at identical coordinates.</param>
public sealed record RoadLine(
    IReadOnlyList<Coordinate> Coordinates,
    string Highway,
    string? OneWay = null,
    string? MaxSpeed = null,
    string? Name = null,
    string? Junction = null,
    TravelModes Forbidden = TravelModes.None,
    IReadOnlyList<long>? NodeIds = null)
{
    /// <summary>A road of the demo city (or any layer with a boolean one-way flag and a limit in km/h).</summary>
    public static RoadLine FromLayer(IReadOnlyList<Coordinate> coordinates, string highway, bool oneWay, double? maxSpeedKmh, string? name = null) =>
        new(coordinates, highway, oneWay ? "yes" : "no",
            maxSpeedKmh is { } s ? s.ToString(System.Globalization.CultureInfo.InvariantCulture) : null, name);
}
