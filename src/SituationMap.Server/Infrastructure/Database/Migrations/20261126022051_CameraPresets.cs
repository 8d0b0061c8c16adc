using Microsoft.EntityFrameworkCore.Migrations;
using NetTopologySuite.Geometries;

#nullable disable

namespace SituationMap.Server.Infrastructure.Database.Migrations
{
    /// <inheritdoc />
    public partial class CameraPresets : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // PTZ/dome preset positions; the stored view sector follows the coverage analysis' rules (PostgreSQL 15
            // cannot change a generated column's expression: the column is dropped and added again, with its index)
            migrationBuilder.Sql(SqlResource.Read("Cameras/camera_view_presets.sql"));
            migrationBuilder.AddColumn<double[]>(
                name: "preset_headings_deg",
                table: "cameras",
                type: "double precision[]",
                nullable: true);
            migrationBuilder.Sql(ViewSector("sm_camera_view(geom, kind, heading_deg, field_of_view_deg, range_m, privacy_masks, preset_headings_deg)"));
            migrationBuilder.AddCheckConstraint(
                name: "ck_cameras_preset_headings_deg",
                table: "cameras",
                sql: "preset_headings_deg IS NULL OR (kind <> 'fixed' AND cardinality(preset_headings_deg) BETWEEN 1 AND 32 AND 0 <= ALL (preset_headings_deg) AND 360 > ALL (preset_headings_deg))");
        }

        private static string ViewSector(string expression) =>
            "ALTER TABLE cameras DROP COLUMN view_sector; " +
            $"ALTER TABLE cameras ADD COLUMN view_sector geometry(MultiPolygon,4326) GENERATED ALWAYS AS ({expression}) STORED; " +
            "CREATE INDEX ix_cameras_view_sector ON cameras USING gist (view_sector);";

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropCheckConstraint(
                name: "ck_cameras_preset_headings_deg",
                table: "cameras");
            migrationBuilder.Sql(ViewSector("sm_camera_view(geom, heading_deg, field_of_view_deg, range_m, privacy_masks)"));
            migrationBuilder.DropColumn(
                name: "preset_headings_deg",
                table: "cameras");
            migrationBuilder.Sql("DROP FUNCTION IF EXISTS sm_camera_view(geometry, text, double precision, double precision, double precision, geometry, double precision[])");
        }
    }
}
