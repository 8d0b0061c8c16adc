using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SituationMap.Server.Infrastructure.Database.Migrations
{
    /// <inheritdoc />
    public partial class GistEverywhere : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "ix_unit_positions_geom",
                table: "unit_positions",
                column: "geom")
                .Annotation("Npgsql:IndexMethod", "gist");

            migrationBuilder.CreateIndex(
                name: "ix_cameras_privacy_masks",
                table: "cameras",
                column: "privacy_masks")
                .Annotation("Npgsql:IndexMethod", "gist");

            // track points are append-only: UPDATE and DELETE refused except the cascade from deleting their unit
            migrationBuilder.Sql(SqlResource.Read("Patrols/unit_positions_append_only.sql"));
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS sm_unit_positions_append_only ON unit_positions; DROP FUNCTION IF EXISTS sm_unit_positions_append_only();");

            migrationBuilder.DropIndex(
                name: "ix_unit_positions_geom",
                table: "unit_positions");

            migrationBuilder.DropIndex(
                name: "ix_cameras_privacy_masks",
                table: "cameras");
        }
    }
}
