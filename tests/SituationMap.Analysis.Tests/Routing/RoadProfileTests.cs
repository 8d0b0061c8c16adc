using NetTopologySuite.Geometries;
using SituationMap.Analysis.Routing;

namespace SituationMap.Analysis.Tests.Routing;

/// <summary>OSM tag interpretation: maxspeed parsing, oneway and roundabouts, access per mode.</summary>
public sealed class RoadProfileTests
{
    [Theory]
    [InlineData("50", 50.0)]
    [InlineData(" 80 ", 80.0)]
    [InlineData("30 mph", 48.28032)]
    [InlineData("30mph", 48.28032)]
    [InlineData("10 knots", 18.52)]
    [InlineData("60 km/h", 60.0)]
    [InlineData("walk", 5.0)]
    [InlineData("CH:urban", 50.0)]
    [InlineData("DE:rural", 80.0)]
    [InlineData("AT:motorway", 120.0)]
    [InlineData("50;30", 50.0)]
    [InlineData("7.5", 7.5)]
    public void MaxSpeedIsParsedToKilometresPerHour(string value, double kmh) =>
        Assert.Equal(kmh, RoadProfile.ParseMaxSpeedKmh(value)!.Value, 1e-9);

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("none")]
    [InlineData("signals")]
    [InlineData("variable")]
    [InlineData("0")]
    [InlineData("-30")]
    [InlineData("XX:unknown")]
    public void UnusableMaxSpeedFallsBackToTheClassDefault(string? value)
    {
        Assert.Null(RoadProfile.ParseMaxSpeedKmh(value));
        Assert.Equal(30, RoadProfile.SpeedKmh(TravelMode.Car, Line("residential", maxSpeed: value)));
    }

    [Theory]
    [InlineData("yes", null, "residential", OneWayDirection.Forward)]
    [InlineData("1", null, "residential", OneWayDirection.Forward)]
    [InlineData("true", null, "residential", OneWayDirection.Forward)]
    [InlineData("-1", null, "residential", OneWayDirection.Backward)]
    [InlineData("no", "roundabout", "residential", OneWayDirection.Both)]
    [InlineData(null, "roundabout", "primary", OneWayDirection.Forward)]
    [InlineData(null, "circular", "primary", OneWayDirection.Forward)]
    [InlineData(null, null, "motorway", OneWayDirection.Forward)]
    [InlineData(null, null, "primary", OneWayDirection.Both)]
    public void OneWayAppliesToVehiclesButNotToPedestrians(string? oneway, string? junction, string highway, OneWayDirection car)
    {
        var line = Line(highway, oneway, junction: junction);
        Assert.Equal(car, RoadProfile.ParseOneWay(TravelMode.Car, line));
        Assert.Equal(car, RoadProfile.ParseOneWay(TravelMode.Bicycle, line));
        Assert.Equal(OneWayDirection.Both, RoadProfile.ParseOneWay(TravelMode.Foot, line));
    }

    [Fact]
    public void AccessFollowsTheClassAndTheForbiddenModes()
    {
        Assert.Null(RoadProfile.SpeedKmh(TravelMode.Car, Line("footway")));
        Assert.Equal(5, RoadProfile.SpeedKmh(TravelMode.Foot, Line("footway")));
        Assert.Null(RoadProfile.SpeedKmh(TravelMode.Foot, Line("motorway")));
        Assert.Null(RoadProfile.SpeedKmh(TravelMode.Bicycle, Line("trunk")));
        Assert.Equal(110, RoadProfile.SpeedKmh(TravelMode.Car, Line("motorway")));
        Assert.Equal(18, RoadProfile.SpeedKmh(TravelMode.Bicycle, Line("residential")));
        Assert.Equal(10, RoadProfile.SpeedKmh(TravelMode.Bicycle, Line("residential", maxSpeed: "10")));
        Assert.Null(RoadProfile.SpeedKmh(TravelMode.Car, Line("residential") with { Forbidden = TravelModes.Car }));
        Assert.False(RoadProfile.IsRoad("proposed"));
        Assert.False(RoadProfile.IsRoad("platform"));
        Assert.True(RoadProfile.IsRoad("living_street"));
    }

    private static RoadLine Line(string highway, string? oneway = null, string? maxSpeed = null, string? junction = null) =>
        new([new Coordinate(0, 0), new Coordinate(100, 0)], highway, oneway, maxSpeed, Junction: junction);
}
