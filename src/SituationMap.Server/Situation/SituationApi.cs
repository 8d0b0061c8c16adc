using SituationMap.Server.Infrastructure.Json;
using SituationMap.Server.Infrastructure.Layers;
using SituationMap.Server.Infrastructure.Problems;

namespace SituationMap.Server.Situation;

public static class SituationApi
{
    public static IServiceCollection AddSituation(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<SituationOptions>(configuration.GetSection("Situation"));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<SituationService>();
        services.AddHostedService<SituationSnapshots>();
        return services;
    }

    public static RouteGroupBuilder MapSituationApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/situation").WithTags("Situation").RequireAuthorization(Accounts.Permissions.Read);
        group.MapGet("/summary", Summary).WithName("GetSituationSummary").Produces<SituationSummary>().ProducesValidationProblem();
        return group;
    }

    /// <summary>Counters now and at the shift start (?shift_start, default: the configured shift boundary before now).</summary>
    public static async Task<IResult> Summary([Microsoft.AspNetCore.Mvc.FromQuery(Name = "shift_start")] string? shiftStart, SituationService situation, System.Security.Claims.ClaimsPrincipal user, CancellationToken ct)
    {
        var problems = new ProblemCollector();
        var start = FilterValues.Time(shiftStart, "shift_start", problems);
        if (problems.Any) return problems.ToResult("The query is invalid.");
        return TypedResults.Json(await situation.SummaryAsync(start, Accounts.UserScope.Of(user), ct), ApiJson.Options);
    }
}
