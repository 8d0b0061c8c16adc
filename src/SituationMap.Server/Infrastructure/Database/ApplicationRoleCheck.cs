using Npgsql;

namespace SituationMap.Server.Infrastructure.Database;

/// <summary>
/// At start-up of the server, says so when the database role it runs as could alter the audit trail: when no
/// application connection (SITUATIONMAP_APP_DB) is configured it runs as the owner, and audit immutability then rests
/// on the triggers alone, which the owner can disable. The check itself is one query; a database that is not up yet
/// only delays it (the server does not wait for it).
/// </summary>
public sealed class ApplicationRoleCheck(NpgsqlDataSource dataSource, bool applicationRoleConfigured, ILogger<ApplicationRoleCheck> logger)
    : BackgroundService
{
    private const string Sql = """
        SELECT current_user::text,
               has_table_privilege('audit_log', 'UPDATE') OR has_table_privilege('audit_log', 'DELETE')
               OR has_table_privilege('audit_log', 'TRUNCATE')
               OR pg_has_role((SELECT relowner FROM pg_class WHERE oid = 'audit_log'::regclass), 'USAGE')
               OR (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)
        """;

    /// <summary>Whether the role the server runs as may alter or remove audit rows (null until checked).</summary>
    public bool? MayAlterAuditTrail { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!applicationRoleConfigured)
        {
            logger.LogWarning("No application database role is configured (SITUATIONMAP_APP_DB): the server runs as the database owner, " +
                              "and the audit trail's immutability rests on its triggers alone, which the owner can disable. " +
                              "See README, Security → Database roles.");
        }
        for (var delay = TimeSpan.FromSeconds(1); !stoppingToken.IsCancellationRequested; delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromMinutes(1).Ticks)))
        {
            try
            {
                await using var cmd = dataSource.CreateCommand(Sql);
                await using var reader = await cmd.ExecuteReaderAsync(stoppingToken);
                await reader.ReadAsync(stoppingToken);
                var role = reader.GetString(0);
                MayAlterAuditTrail = reader.GetBoolean(1);
                if (MayAlterAuditTrail == true && applicationRoleConfigured)
                {
                    logger.LogWarning("The application database role {Role} may alter or remove audit rows (it owns audit_log, is a superuser " +
                                      "or holds UPDATE, DELETE or TRUNCATE on it): give the server a role that only the migrations grant to " +
                                      "(situationmap_app).", role);
                }
                else if (MayAlterAuditTrail == false)
                {
                    logger.LogInformation("The server runs as database role {Role}, which may only read and append to the audit trail.", role);
                }
                return;
            }
            catch (PostgresException e) when (!e.IsTransient)
            {
                logger.LogWarning("Could not check the database role the server runs as: {Error}", e.MessageText);
                return;
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested && e is NpgsqlException or TimeoutException)
            {
                logger.LogDebug(e, "Checking the database role failed; retrying in {Delay}.", delay);
                await Task.Delay(delay, stoppingToken);
            }
        }
    }
}
