using System.Text.Json.Serialization;

namespace SituationMap.Server.Infrastructure.GeoJson;

/// <summary>An RFC 7946 Feature with typed properties (snake_case).</summary>
public sealed record Feature<TProps>(long Id, NetTopologySuite.Geometries.Geometry? Geometry, TProps Properties)
{
    [JsonPropertyOrder(-1)]
    public string Type => "Feature";
}

/// <summary>
/// An RFC 7946 FeatureCollection page. <see cref="ChangeSeq"/> is the live change-log position the page was read at
/// (same database snapshot): subscribe to the hub with <c>since = change_seq</c> to receive exactly the changes after it.
/// </summary>
public sealed record FeatureCollection<TProps>(
    IReadOnlyList<Feature<TProps>> Features,
    int NumberReturned,
    long ChangeSeq,
    IReadOnlyList<Link> Links)
{
    [JsonPropertyOrder(-1)]
    public string Type => "FeatureCollection";
}

public sealed record Link(string Href, string Rel, string Type = "application/geo+json");

/// <summary>A validated write request: the geometry (already normalised to the layer's stored type) and the properties.</summary>
public sealed record FeatureInput<TWrite>(NetTopologySuite.Geometries.Geometry Geometry, TWrite Properties);
