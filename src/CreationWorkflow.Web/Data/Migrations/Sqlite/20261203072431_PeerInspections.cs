using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CreationWorkflow.Web.Data.Migrations.Sqlite
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
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    CampaignId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Inspector = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Inspected = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Item = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                    State = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    AssignedBy = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    AssignedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    SubmittedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ClosedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Revision = table.Column<int>(type: "INTEGER", nullable: false)
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
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    InspectionId = table.Column<Guid>(type: "TEXT", nullable: false),
                    RuleId = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Verdict = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Note = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    RecordedBy = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    RecordedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    OrderId = table.Column<Guid>(type: "TEXT", nullable: true)
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
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    FindingId = table.Column<Guid>(type: "TEXT", nullable: false),
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
