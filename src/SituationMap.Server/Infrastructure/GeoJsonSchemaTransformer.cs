using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using SituationMap.Analysis.Domain;

namespace SituationMap.Server.Infrastructure;

/// <summary>
/// Makes the OpenAPI document say what goes over the wire: NetTopologySuite geometries are GeoJSON geometry objects,
/// domain enums are their snake_case names (PatrolLevel the numbers 1-3), and write contracts have no required
/// properties beyond what validation reports (nullable means optional).
/// </summary>
public sealed class GeoJsonSchemaTransformer : IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        var type = context.JsonTypeInfo.Type;
        if (typeof(NetTopologySuite.Geometries.Geometry).IsAssignableFrom(type))
        {
            var name = type == typeof(NetTopologySuite.Geometries.Geometry) ? "Geometry" : type.Name;
            schema.Type = JsonSchemaType.Object;
            schema.Description = $"RFC 7946 GeoJSON {name} (WGS84 longitude, latitude).";
            schema.Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["type"] = new OpenApiSchema { Type = JsonSchemaType.String },
                ["coordinates"] = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema() },
            };
            schema.Required = new HashSet<string> { "type", "coordinates" };
            schema.AllOf = null;
            schema.AnyOf = null;
            schema.OneOf = null;
        }
        else if (type == typeof(PatrolLevel))
        {
            schema.Type = JsonSchemaType.Integer;
            schema.Enum = [JsonValue.Create(1), JsonValue.Create(2), JsonValue.Create(3)];
            schema.Description = "1 city, 2 district/county, 3 community/police station.";
        }
        else if (type.IsEnum && type.Namespace == typeof(IncidentCategory).Namespace)
        {
            schema.Type = JsonSchemaType.String;
            schema.Enum = Enum.GetValues(type).Cast<object>().Select(v => (JsonNode)JsonValue.Create(WireNames.ToSnakeCase(v.ToString()!))).ToList();
        }
        else if (type.Name.EndsWith("Write", StringComparison.Ordinal))
        {
            schema.Required = new HashSet<string>();
        }
        return Task.CompletedTask;
    }
}

/// <summary>Query parameters are documented by their wire names (snake_case): ?bbox, ?risk_level.</summary>
public sealed class SnakeCaseQueryTransformer : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        foreach (var parameter in operation.Parameters?.OfType<OpenApiParameter>() ?? [])
        {
            if (parameter.In == ParameterLocation.Query && parameter.Name is { } name) parameter.Name = WireNames.ToSnakeCase(name);
        }
        return Task.CompletedTask;
    }
}
