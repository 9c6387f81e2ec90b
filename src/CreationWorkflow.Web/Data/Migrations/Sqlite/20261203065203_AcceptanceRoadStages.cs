using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CreationWorkflow.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AcceptanceRoadStages : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "RoadStepId",
                table: "supervision_orders",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Source",
                table: "supervision_orders",
                type: "TEXT",
                maxLength: 200,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "acceptance_roads",
                columns: table => new
                {
                    CampaignId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Stage = table.Column<string>(type: "TEXT", maxLength: 24, nullable: false),
                    NamedOn = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    Revision = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_acceptance_roads", x => x.CampaignId);
                    table.ForeignKey(
                        name: "FK_acceptance_roads_campaigns_CampaignId",
                        column: x => x.CampaignId,
                        principalTable: "campaigns",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "acceptance_road_steps",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    CampaignId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Trigger = table.Column<string>(type: "TEXT", maxLength: 24, nullable: false),
                    Stage = table.Column<string>(type: "TEXT", maxLength: 24, nullable: false),
                    Date = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Result = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    Notes = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    TermYear = table.Column<int>(type: "INTEGER", nullable: true),
                    Score = table.Column<decimal>(type: "TEXT", precision: 6, scale: 2, nullable: true),
                    RecordedBy = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    RecordedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_acceptance_road_steps", x => x.Id);
                    table.ForeignKey(
                        name: "FK_acceptance_road_steps_acceptance_roads_CampaignId",
                        column: x => x.CampaignId,
                        principalTable: "acceptance_roads",
                        principalColumn: "CampaignId",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "acceptance_road_files",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    StepId = table.Column<Guid>(type: "TEXT", nullable: false),
                    FileName = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    StoredName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    ContentType = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Size = table.Column<long>(type: "INTEGER", nullable: false),
                    Sha256 = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    UploadedBy = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    UploadedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_acceptance_road_files", x => x.Id);
                    table.ForeignKey(
                        name: "FK_acceptance_road_files_acceptance_road_steps_StepId",
                        column: x => x.StepId,
                        principalTable: "acceptance_road_steps",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_supervision_orders_RoadStepId",
                table: "supervision_orders",
                column: "RoadStepId");

            migrationBuilder.CreateIndex(
                name: "IX_acceptance_road_files_StepId",
                table: "acceptance_road_files",
                column: "StepId");

            migrationBuilder.CreateIndex(
                name: "IX_acceptance_road_steps_CampaignId_Date",
                table: "acceptance_road_steps",
                columns: new[] { "CampaignId", "Date" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "acceptance_road_files");

            migrationBuilder.DropTable(
                name: "acceptance_road_steps");

            migrationBuilder.DropTable(
                name: "acceptance_roads");

            migrationBuilder.DropIndex(
                name: "IX_supervision_orders_RoadStepId",
                table: "supervision_orders");

            migrationBuilder.DropColumn(
                name: "RoadStepId",
                table: "supervision_orders");

            migrationBuilder.DropColumn(
                name: "Source",
                table: "supervision_orders");
        }
    }
}
