using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SituationMap.Server.Infrastructure.Database.Migrations
{
    /// <inheritdoc />
    public partial class PinnedSearchPath : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // every sm_* function searches public before the session's temporary schema, so a temporary table of the same
            // name (the server's role may create them) cannot swallow change-log or audit rows
            migrationBuilder.Sql(SqlResource.Read("Infrastructure/Database/pinned_search_path.sql"));
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DO $$
                DECLARE f regprocedure;
                BEGIN
                    FOR f IN SELECT p.oid::regprocedure FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                             WHERE n.nspname = 'public' AND p.proname LIKE 'sm\_%' AND p.prokind = 'f'
                    LOOP
                        EXECUTE format('ALTER FUNCTION %s RESET search_path', f);
                    END LOOP;
                END $$;
                """);
        }
    }
}
