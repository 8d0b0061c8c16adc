using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SituationMap.Server.Infrastructure.Database.Migrations
{
    /// <inheritdoc />
    public partial class ApplicationRole : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // the audit keeps an incident's address only as a hash, like its description (sm_audit_row); the rest of the
            // file is unchanged and idempotent
            migrationBuilder.Sql(SqlResource.Read("Audit/audit.sql"));
            // the role the running server connects as: everything it needs, on audit_log only SELECT and INSERT, and
            // default privileges for what later migrations create
            migrationBuilder.Sql(SqlResource.Read("Infrastructure/Database/application_role.sql"));
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON TABLES FROM situationmap_app;
                ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON SEQUENCES FROM situationmap_app;
                ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON ROUTINES FROM situationmap_app;
                REVOKE ALL ON ALL TABLES IN SCHEMA public FROM situationmap_app;
                REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM situationmap_app;
                REVOKE ALL ON ALL ROUTINES IN SCHEMA public FROM situationmap_app;
                """);
            // the role itself is the cluster's (other databases may use it); DROP ROLE situationmap_app by hand if wanted
        }
    }
}
