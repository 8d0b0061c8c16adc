using System.Security.Claims;

namespace SituationMap.Server.Accounts;

/// <summary>
/// The districts an account may see and change (null = all). A district-scoped account sees only features whose
/// district is one of its districts (features without a district are not among them) — in the API, the tiles, the
/// exports and the live hub alike.
/// </summary>
public sealed record UserScope(IReadOnlySet<string>? Districts)
{
    public static readonly UserScope Everything = new((IReadOnlySet<string>?)null);

    public bool IsScoped => Districts is not null;

    public string[]? DistrictArray => Districts?.Order(StringComparer.Ordinal).ToArray();

    public bool Allows(string? district) => Districts is null || (district is not null && Districts.Contains(district));

    public static UserScope Of(ClaimsPrincipal? user) =>
        user?.FindFirst(AccountService.DistrictsClaim)?.Value is { Length: > 0 } list
            ? new UserScope(new HashSet<string>(list.Split(','), StringComparer.Ordinal))
            : Everything;
}
