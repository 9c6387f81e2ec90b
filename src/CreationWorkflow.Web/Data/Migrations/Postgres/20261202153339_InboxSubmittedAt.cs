using System;
using CreationWorkflow.Core.Assignments;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CreationWorkflow.Web.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class InboxSubmittedAt : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "SubmittedAt",
                table: "assignments",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateOnly>(
                name: "SubmittedOn",
                table: "assignments",
                type: "date",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_assignments_ReviewerUnit_State",
                table: "assignments",
                columns: new[] { "ReviewerUnit", "State" });

            // The same backfill as the SQLite set's (InboxSubmittedAt there): audit log first, UpdatedAt as the fallback.
            migrationBuilder.Sql(Sqlite.InboxSubmittedAt.Backfill("assignments.\"Id\"::text", "(\"SubmittedAt\" AT TIME ZONE 'Asia/Shanghai')::date"));
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_assignments_ReviewerUnit_State",
                table: "assignments");

            migrationBuilder.DropColumn(
                name: "SubmittedAt",
                table: "assignments");

            migrationBuilder.DropColumn(
                name: "SubmittedOn",
                table: "assignments");
        }
    }
}
