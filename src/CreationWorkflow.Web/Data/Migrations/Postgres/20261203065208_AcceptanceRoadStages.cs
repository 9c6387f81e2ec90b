using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CreationWorkflow.Web.Data.Migrations.Postgres
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
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Source",
                table: "supervision_orders",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "acceptance_roads",
                columns: table => new
                {
                    CampaignId = table.Column<Guid>(type: "uuid", nullable: false),
                    Stage = table.Column<string>(type: "character varying(24)", maxLength: 24, nullable: false),
                    NamedOn = table.Column<DateOnly>(type: "date", nullable: true),
                    Revision = table.Column<int>(type: "integer", nullable: false)
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
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    CampaignId = table.Column<Guid>(type: "uuid", nullable: false),
                    Trigger = table.Column<string>(type: "character varying(24)", maxLength: 24, nullable: false),
                    Stage = table.Column<string>(type: "character varying(24)", maxLength: 24, nullable: false),
                    Date = table.Column<DateOnly>(type: "date", nullable: false),
                    Result = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    Notes = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    TermYear = table.Column<int>(type: "integer", nullable: true),
                    Score = table.Column<decimal>(type: "numeric(6,2)", precision: 6, scale: 2, nullable: true),
                    RecordedBy = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    RecordedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
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
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    StepId = table.Column<Guid>(type: "uuid", nullable: false),
                    FileName = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    StoredName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    ContentType = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Size = table.Column<long>(type: "bigint", nullable: false),
                    Sha256 = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    UploadedBy = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    UploadedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
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
