using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SituationMap.Server.Infrastructure.Database.Migrations
{
    /// <inheritdoc />
    public partial class CameraStatusHistory : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // status periods per camera, kept by a trigger; existing cameras start with their current status
            migrationBuilder.Sql(SqlResource.Read("Cameras/camera_status_history.sql"));
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS sm_camera_status_track ON cameras; DROP FUNCTION IF EXISTS sm_camera_status_track(); " +
                "DROP FUNCTION IF EXISTS sm_camera_status_at(bigint, timestamptz); DROP TABLE IF EXISTS camera_status_history");
        }
    }
}
