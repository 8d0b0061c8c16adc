using SituationMap.Analysis.Domain;

namespace SituationMap.Analysis.Tests.Domain;

public sealed class VocabularyTests
{
    [Theory]
    [InlineData(IncidentCategory.PropertyTheft, "property_theft")]
    [InlineData(IncidentCategory.FireHazard, "fire_hazard")]
    [InlineData(IncidentStatus.OnScene, "on_scene")]
    [InlineData(ZoneKind.UrbanRuralFringe, "urban_rural_fringe")]
    [InlineData(PatrolUnitStatus.OffDuty, "off_duty")]
    public void EnumValuesHaveSnakeCaseWireNames(object value, string name)
    {
        var method = typeof(WireNames).GetMethod(nameof(WireNames.Of))!.MakeGenericMethod(value.GetType());
        Assert.Equal(name, method.Invoke(null, [value]));
    }

    [Fact]
    public void ParsingIsExactAndListsTheAllowedValuesWhenItFails()
    {
        Assert.True(WireNames.TryParse<IncidentStatus>("on_scene", out var s));
        Assert.Equal(IncidentStatus.OnScene, s);
        Assert.False(WireNames.TryParse<IncidentStatus>("OnScene", out _));
        Assert.False(WireNames.TryParse<IncidentStatus>("1", out _));
        Assert.False(WireNames.TryParse<IncidentStatus>(null, out _));
        var error = Assert.Throws<FormatException>(() => WireNames.Parse<CameraStatus>("broken"));
        Assert.Equal("'broken' is not one of online, offline, fault.", error.Message);
    }

    [Fact]
    public void EveryIncidentCategoryOfTheSpecificationExists() =>
        Assert.Equal(
            ["violent", "property_theft", "robbery", "burglary", "fraud", "traffic", "public_order", "dispute", "fire_hazard", "other"],
            WireNames.All<IncidentCategory>());

    [Theory]
    [InlineData(ZoneKind.KeyFacility, 1.0)]
    [InlineData(ZoneKind.CrowdedPublicPlace, 0.8)]
    [InlineData(ZoneKind.ResidentialCommunity, 0.7)]
    [InlineData(ZoneKind.School, 1.0)]
    [InlineData(ZoneKind.UrbanVillage, 0.5)]
    public void CoverageTargetsDefaultByZoneKind(ZoneKind kind, double target) =>
        Assert.Equal(target, CoverageTargets.DefaultFor(kind));

    [Fact]
    public void DistrictsHaveNoCoverageTarget() => Assert.Null(CoverageTargets.DefaultFor(ZoneKind.District));

    [Fact]
    public void ShiftsPastMidnightLastUntilTheNextMorning()
    {
        Assert.Equal(TimeSpan.FromHours(12), new ShiftWindow(new TimeOnly(20, 0), new TimeOnly(8, 0), []).Duration);
        Assert.Equal(TimeSpan.FromHours(8), new ShiftWindow(new TimeOnly(8, 0), new TimeOnly(16, 0), [1, 2]).Duration);
    }
}
