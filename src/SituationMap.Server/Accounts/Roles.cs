using System.Collections.Frozen;

namespace SituationMap.Server.Accounts;

/// <summary>
/// Roles and what they may do. Every endpoint and hub method names one permission (an authorization policy of the
/// same name); a role grants a fixed set of permissions.
/// </summary>
public static class Roles
{
    public const string Viewer = "viewer";
    public const string Dispatcher = "dispatcher";
    public const string Planner = "planner";
    public const string Commander = "commander";
    public const string Admin = "admin";

    public static readonly IReadOnlyList<string> All = [Viewer, Dispatcher, Planner, Commander, Admin];

    private static readonly FrozenDictionary<string, string[]> Grants = new Dictionary<string, string[]>
    {
        [Viewer] = [Permissions.Read],
        [Dispatcher] = [Permissions.Read, Permissions.IncidentsWrite, Permissions.UnitsWrite],
        [Planner] = [Permissions.Read, Permissions.PlanningWrite],
        [Commander] = [Permissions.Read, Permissions.IncidentsWrite, Permissions.UnitsWrite, Permissions.PlanningWrite, Permissions.Export],
        [Admin] = [Permissions.Read, Permissions.Admin, Permissions.DistrictsWrite],
    }.ToFrozenDictionary(StringComparer.Ordinal);

    public static bool IsRole(string name) => Grants.ContainsKey(name);

    public static IEnumerable<string> PermissionsOf(IEnumerable<string> roles) =>
        roles.Where(Grants.ContainsKey).SelectMany(r => Grants[r]).Distinct(StringComparer.Ordinal);

    public static IEnumerable<string> RolesGranting(string permission) => Grants.Where(g => g.Value.Contains(permission)).Select(g => g.Key);
}

/// <summary>The permissions, each an authorization policy.</summary>
public static class Permissions
{
    /// <summary>See the map, the feed, tiles and live events (within the account's districts).</summary>
    public const string Read = "read";

    /// <summary>Create, edit and move incidents through their workflow.</summary>
    public const string IncidentsWrite = "incidents:write";

    /// <summary>Patrol units: create, edit, report positions (AVL).</summary>
    public const string UnitsWrite = "units:write";

    /// <summary>Cameras, zones and patrol routes; coverage scenarios.</summary>
    public const string PlanningWrite = "planning:write";

    /// <summary>Districts (administrative areas).</summary>
    public const string DistrictsWrite = "districts:write";

    /// <summary>Bulk exports and reports.</summary>
    public const string Export = "export";

    /// <summary>Accounts, tokens, settings, the audit log.</summary>
    public const string Admin = "admin";

    /// <summary>Any signed-in account (its own profile, sign-out).</summary>
    public const string SignedIn = "signed-in";

    public static readonly IReadOnlyList<string> All = [Read, IncidentsWrite, UnitsWrite, PlanningWrite, DistrictsWrite, Export, Admin, SignedIn];
}
