namespace SituationMap.Analysis.Domain;

// The shared vocabulary of the operational layers. Every value is stored in PostgreSQL and written in JSON, tiles
// and live events as its snake_case name (PropertyTheft -> "property_theft"); see WireNames.

/// <summary>What kind of event an incident is.</summary>
public enum IncidentCategory
{
    Violent,
    PropertyTheft,
    Robbery,
    Burglary,
    Fraud,
    Traffic,
    PublicOrder,
    Dispute,
    FireHazard,
    Other,
}

/// <summary>Where an incident is in its workflow: reported → dispatched → on_scene → resolved → closed, or cancelled.</summary>
public enum IncidentStatus
{
    Reported,
    Dispatched,
    OnScene,
    Resolved,
    Closed,
    Cancelled,
}

public enum CameraKind
{
    Fixed,
    Ptz,
    Dome,
}

public enum CameraStatus
{
    Online,
    Offline,
    Fault,
}

/// <summary>The three-level patrol control: 1 city, 2 district/county, 3 community/police station.</summary>
public enum PatrolLevel
{
    City = 1,
    District = 2,
    Community = 3,
}

public enum PatrolMode
{
    Vehicle,
    Foot,
    Bicycle,
}

/// <summary>Typical patrol speeds, for simulation and first estimates (routing uses road speeds).</summary>
public static class PatrolSpeeds
{
    /// <summary>Metres per second: vehicle 8 (≈ 29 km/h in town), bicycle 4, foot 1.3.</summary>
    public static double Nominal(PatrolMode mode) => mode switch
    {
        PatrolMode.Vehicle => 8.0,
        PatrolMode.Bicycle => 4.0,
        _ => 1.3,
    };
}

public enum PatrolRouteStatus
{
    Active,
    Suspended,
    Draft,
}

public enum PatrolUnitStatus
{
    Available,
    Busy,
    OffDuty,
}

public enum ZoneKind
{
    UrbanRuralFringe,
    MiningArea,
    UrbanVillage,
    DisorderHotspotArea,
    KeyFacility,
    ResidentialCommunity,
    CrowdedPublicPlace,
    School,
    District,
}
