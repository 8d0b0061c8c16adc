using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SituationMap.Server.Infrastructure.Database.Migrations
{
    /// <inheritdoc />
    public partial class SituationSnapshotsAndHistory : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "situation_snapshots",
                columns: table => new
                {
                    taken_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    open_severity1 = table.Column<int>(type: "integer", nullable: false),
                    open_severity2 = table.Column<int>(type: "integer", nullable: false),
                    open_severity3 = table.Column<int>(type: "integer", nullable: false),
                    open_severity4 = table.Column<int>(type: "integer", nullable: false),
                    units_available = table.Column<int>(type: "integer", nullable: false),
                    units_busy = table.Column<int>(type: "integer", nullable: false),
                    units_off_duty = table.Column<int>(type: "integer", nullable: false),
                    cameras_online = table.Column<int>(type: "integer", nullable: false),
                    cameras_offline = table.Column<int>(type: "integer", nullable: false),
                    cameras_fault = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_situation_snapshots", x => x.taken_at);
                });

            migrationBuilder.CreateIndex(
                name: "ix_incidents_reported_at",
                table: "incidents",
                column: "reported_at");

            migrationBuilder.CreateIndex(
                name: "ix_change_log_layer_feature_id_seq",
                table: "change_log",
                columns: new[] { "layer", "feature_id", "seq" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "situation_snapshots");

            migrationBuilder.DropIndex(
                name: "ix_incidents_reported_at",
                table: "incidents");

            migrationBuilder.DropIndex(
                name: "ix_change_log_layer_feature_id_seq",
                table: "change_log");
        }
    }
}
