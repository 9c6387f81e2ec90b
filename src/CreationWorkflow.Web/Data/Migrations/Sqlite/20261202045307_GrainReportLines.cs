using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CreationWorkflow.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class GrainReportLines : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "ItemNo",
                table: "evidence_files",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "ReportLineId",
                table: "evidence_files",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "report_lines",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    AssignmentId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ItemNo = table.Column<int>(type: "INTEGER", nullable: false),
                    ReviewerUnit = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    State = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Text = table.Column<string>(type: "TEXT", nullable: true),
                    NoProgress = table.Column<bool>(type: "INTEGER", nullable: false),
                    NoProgressReason = table.Column<string>(type: "TEXT", nullable: true),
                    ReturnReason = table.Column<string>(type: "TEXT", nullable: true),
                    UpdatedBy = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Revision = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_report_lines", x => x.Id);
                    table.ForeignKey(
                        name: "FK_report_lines_assignments_AssignmentId",
                        column: x => x.AssignmentId,
                        principalTable: "assignments",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "report_line_citations",
                columns: table => new
                {
                    LineId = table.Column<long>(type: "INTEGER", nullable: false),
                    EvidenceFileId = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_report_line_citations", x => new { x.LineId, x.EvidenceFileId });
                    table.ForeignKey(
                        name: "FK_report_line_citations_evidence_files_EvidenceFileId",
                        column: x => x.EvidenceFileId,
                        principalTable: "evidence_files",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_report_line_citations_report_lines_LineId",
                        column: x => x.LineId,
                        principalTable: "report_lines",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_evidence_files_ReportLineId",
                table: "evidence_files",
                column: "ReportLineId");

            migrationBuilder.CreateIndex(
                name: "IX_report_line_citations_EvidenceFileId",
                table: "report_line_citations",
                column: "EvidenceFileId");

            migrationBuilder.CreateIndex(
                name: "IX_report_lines_AssignmentId_ItemNo",
                table: "report_lines",
                columns: new[] { "AssignmentId", "ItemNo" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_report_lines_ReviewerUnit_State",
                table: "report_lines",
                columns: new[] { "ReviewerUnit", "State" });

            migrationBuilder.AddForeignKey(
                name: "FK_evidence_files_report_lines_ReportLineId",
                table: "evidence_files",
                column: "ReportLineId",
                principalTable: "report_lines",
                principalColumn: "Id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_evidence_files_report_lines_ReportLineId",
                table: "evidence_files");

            migrationBuilder.DropTable(
                name: "report_line_citations");

            migrationBuilder.DropTable(
                name: "report_lines");

            migrationBuilder.DropIndex(
                name: "IX_evidence_files_ReportLineId",
                table: "evidence_files");

            migrationBuilder.DropColumn(
                name: "ItemNo",
                table: "evidence_files");

            migrationBuilder.DropColumn(
                name: "ReportLineId",
                table: "evidence_files");
        }
    }
}
