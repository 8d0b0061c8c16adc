using System.Text.Json.Serialization;
using NetTopologySuite.Geometries;
using SituationMap.Analysis.Domain;
using SituationMap.Server.Infrastructure.Layers;

namespace SituationMap.Server.Incidents;

public sealed class Incident : ILayerEntity, IExternallyKeyed
{
    public long Id { get; set; }

    public IncidentCategory Category { get; set; }

    /// <summary>1 (low) … 4 (critical).</summary>
    public int Severity { get; set; }

    public IncidentStatus Status { get; set; }

    public DateTimeOffset OccurredAt { get; set; }

    public DateTimeOffset ReportedAt { get; set; }

    [JsonPropertyName("geom")]
    public Point Location { get; set; } = null!;

    public string? Address { get; set; }

    /// <summary>Code of the district containing the location; assigned from the districts layer when not given.</summary>
    public string? District { get; set; }

    /// <summary>Which system reported it ("api", "demo", "cad", an import's name); with ExternalId, unique.</summary>
    public string Source { get; set; } = "api";

    public string? ExternalId { get; set; }

    public string? Description { get; set; }

    public int Version { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
