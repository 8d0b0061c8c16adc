using System.Text.Json.Serialization;

namespace SituationMap.Server.Ogc;

// OGC API - Features Part 1 documents. Member names are the standard's (camelCase where it says so), not snake_case.

/// <summary>A link of an OGC API document; hrefs are absolute.</summary>
public sealed record OgcLink(string Href, string Rel, string Type, string? Title = null);

/// <summary>GET /ogc.</summary>
public sealed record OgcLandingPage(string Title, string Description, IReadOnlyList<OgcLink> Links);

/// <summary>GET /ogc/conformance.</summary>
public sealed record OgcConformance([property: JsonPropertyName("conformsTo")] IReadOnlyList<string> ConformsTo);

/// <summary>GET /ogc/collections.</summary>
public sealed record OgcCollections(IReadOnlyList<OgcCollectionInfo> Collections, IReadOnlyList<OgcLink> Links);

/// <summary>GET /ogc/collections/{collectionId}: one layer.</summary>
public sealed record OgcCollectionInfo(
    string Id,
    string Title,
    string Description,
    OgcExtent Extent,
    [property: JsonPropertyName("itemType")] string ItemType,
    IReadOnlyList<string> Crs,
    [property: JsonPropertyName("storageCrs")] string StorageCrs,
    IReadOnlyList<OgcLink> Links);

public sealed record OgcExtent(
    OgcSpatialExtent Spatial,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] OgcTemporalExtent? Temporal);

/// <summary>bbox: one [minLon, minLat, maxLon, maxLat] in CRS84.</summary>
public sealed record OgcSpatialExtent(IReadOnlyList<double[]> Bbox, string Crs);

/// <summary>interval: one [start, end] (RFC 3339, null = open).</summary>
public sealed record OgcTemporalExtent(IReadOnlyList<string?[]> Interval, string Trs);

/// <summary>GET /ogc/collections/{collectionId}/items: a GeoJSON FeatureCollection page (features are the layer's Features).</summary>
public sealed record OgcFeatureCollection(
    IReadOnlyList<object> Features,
    [property: JsonPropertyName("numberMatched")] long NumberMatched,
    [property: JsonPropertyName("numberReturned")] int NumberReturned,
    [property: JsonPropertyName("timeStamp")] DateTimeOffset TimeStamp,
    IReadOnlyList<OgcLink> Links)
{
    [JsonPropertyOrder(-1)]
    public string Type => "FeatureCollection";
}

/// <summary>GET /ogc/collections/{collectionId}/items/{featureId}: a GeoJSON Feature with the layer's properties.</summary>
public sealed record OgcFeature(long Id, NetTopologySuite.Geometries.Geometry? Geometry, object Properties, IReadOnlyList<OgcLink> Links)
{
    [JsonPropertyOrder(-1)]
    public string Type => "Feature";
}

/// <summary>A collection's queryables: a JSON Schema object whose properties are the filterable properties.</summary>
public sealed record OgcQueryables(
    [property: System.Text.Json.Serialization.JsonPropertyName("$schema")] string Schema,
    [property: System.Text.Json.Serialization.JsonPropertyName("$id")] string Id,
    string Type,
    string Title,
    IReadOnlyDictionary<string, OgcQueryable> Properties,
    [property: System.Text.Json.Serialization.JsonPropertyName("additionalProperties")] bool AdditionalProperties);

/// <summary>One queryable: its title (the property name), JSON type, allowed values for coded properties, format.</summary>
public sealed record OgcQueryable(
    string Title,
    string Type,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Enum,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? Format = null);
