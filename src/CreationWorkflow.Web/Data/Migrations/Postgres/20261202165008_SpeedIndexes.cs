using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CreationWorkflow.Web.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class SpeedIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_report_lines_ReviewerUnit_State",
                table: "report_lines");

            migrationBuilder.DropIndex(
                name: "IX_assignments_ReviewerUnit_State",
                table: "assignments");

            migrationBuilder.CreateIndex(
                name: "IX_report_lines_ReviewerUnit_State_ItemNo",
                table: "report_lines",
                columns: new[] { "ReviewerUnit", "State", "ItemNo" });

            migrationBuilder.CreateIndex(
                name: "IX_assignments_DueDate",
                table: "assignments",
                column: "DueDate");

            migrationBuilder.CreateIndex(
                name: "IX_assignments_ReviewerUnit_State_DueDate",
                table: "assignments",
                columns: new[] { "ReviewerUnit", "State", "DueDate" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_report_lines_ReviewerUnit_State_ItemNo",
                table: "report_lines");

            migrationBuilder.DropIndex(
                name: "IX_assignments_DueDate",
                table: "assignments");

            migrationBuilder.DropIndex(
                name: "IX_assignments_ReviewerUnit_State_DueDate",
                table: "assignments");

            migrationBuilder.CreateIndex(
                name: "IX_report_lines_ReviewerUnit_State",
                table: "report_lines",
                columns: new[] { "ReviewerUnit", "State" });

            migrationBuilder.CreateIndex(
                name: "IX_assignments_ReviewerUnit_State",
                table: "assignments",
                columns: new[] { "ReviewerUnit", "State" });
        }
    }
}
