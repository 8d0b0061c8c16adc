using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SituationMap.Server.Infrastructure.Database.Migrations
{
    /// <inheritdoc />
    public partial class DeferredChangeLog : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // change-log rows are written at COMMIT (deferred constraint triggers) and carry their transaction id, so the
            // counter's lock is held only for the commit, not across the writer's round trips
            migrationBuilder.Sql(SqlResource.Read("Live/change_log.sql"));
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // the immediate triggers of earlier versions are not restored; roll back to a backup instead
        }
    }
}
