using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CreationWorkflow.Web.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class PeerInspections : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "peer_inspections",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    CampaignId = table.Column<Guid>(type: "uuid", nullable: false),
                    Inspector = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Inspected = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Item = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    State = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    AssignedBy = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    AssignedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    SubmittedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    ClosedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    Revision = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_peer_inspections", x => x.Id);
                    table.ForeignKey(
                        name: "FK_peer_inspections_campaigns_CampaignId",
                        column: x => x.CampaignId,
                        principalTable: "campaigns",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "peer_findings",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    InspectionId = table.Column<Guid>(type: "uuid", nullable: false),
                    RuleId = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Verdict = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Note = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    RecordedBy = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    RecordedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    OrderId = table.Column<Guid>(type: "uuid", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_peer_findings", x => x.Id);
                    table.ForeignKey(
                        name: "FK_peer_findings_peer_inspections_InspectionId",
                        column: x => x.InspectionId,
                        principalTable: "peer_inspections",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_peer_findings_supervision_orders_OrderId",
                        column: x => x.OrderId,
                        principalTable: "supervision_orders",
                        principalColumn: "Id");
                });

            migrationBuilder.CreateTable(
                name: "peer_photos",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    FindingId = table.Column<Guid>(type: "uuid", nullable: false),
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
                    table.PrimaryKey("PK_peer_photos", x => x.Id);
                    table.ForeignKey(
                        name: "FK_peer_photos_peer_findings_FindingId",
                        column: x => x.FindingId,
                        principalTable: "peer_findings",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_peer_findings_InspectionId_RuleId",
                table: "peer_findings",
                columns: new[] { "InspectionId", "RuleId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_peer_findings_OrderId",
                table: "peer_findings",
                column: "OrderId");

            migrationBuilder.CreateIndex(
                name: "IX_peer_inspections_CampaignId_Inspector_Inspected_Item",
                table: "peer_inspections",
                columns: new[] { "CampaignId", "Inspector", "Inspected", "Item" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_peer_inspections_CampaignId_Item",
                table: "peer_inspections",
                columns: new[] { "CampaignId", "Item" });

            migrationBuilder.CreateIndex(
                name: "IX_peer_photos_FindingId",
                table: "peer_photos",
                column: "FindingId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "peer_photos");

            migrationBuilder.DropTable(
                name: "peer_findings");

            migrationBuilder.DropTable(
                name: "peer_inspections");
        }
    }
}
