using Microsoft.EntityFrameworkCore;
using Npgsql;
using SituationMap.Server.Infrastructure.Problems;

namespace SituationMap.Server.Infrastructure.Database;

/// <summary>Turns constraint violations that slip past validation into clear 4xx problems (never a 500).</summary>
public static class DatabaseErrors
{
    public static IResult? ToProblem(DbUpdateException e) => e.InnerException is PostgresException pg ? ToProblem(pg) : null;

    public static IResult? ToProblem(PostgresException pg) => pg.SqlState switch
    {
        PostgresErrorCodes.UniqueViolation => ApiProblems.Problem(StatusCodes.Status409Conflict, "duplicate", "Already exists.",
            $"Another feature already has the same {ColumnsOf(pg)} (constraint {pg.ConstraintName}).",
            new Dictionary<string, object?> { ["constraint"] = pg.ConstraintName }),
        PostgresErrorCodes.CheckViolation => ApiProblems.Single("/properties",
            $"a value is out of range (database rule {pg.ConstraintName})."),
        PostgresErrorCodes.ForeignKeyViolation => ApiProblems.Single("/properties",
            $"refers to something that does not exist (database rule {pg.ConstraintName})."),
        PostgresErrorCodes.StringDataRightTruncation => ApiProblems.Single("/properties", "a text value is too long."),
        _ => null,
    };

    /// <summary>True when the database could not be reached or went away mid-request (restart, failover, network):
    /// the request may be retried; it wrote nothing. EF Core and Npgsql wrap the cause, so the chain is searched.</summary>
    public static bool IsUnavailable(Exception? error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            if (e is NpgsqlException { IsTransient: true } or TimeoutException) return true;
            if (e is PostgresException { SqlState: PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown or PostgresErrorCodes.CannotConnectNow }) return true;
        }
        return false;
    }

    private static string ColumnsOf(PostgresException pg)
    {
        // "Key (source, external_id)=(cad, 42) already exists."
        var d = pg.Detail;
        if (d is not null && d.StartsWith("Key (", StringComparison.Ordinal))
        {
            var end = d.IndexOf(')', StringComparison.Ordinal);
            if (end > 5) return d[5..end];
        }
        return "key";
    }
}
