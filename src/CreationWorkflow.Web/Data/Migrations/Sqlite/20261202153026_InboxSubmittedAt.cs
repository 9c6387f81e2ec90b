using System;
using CreationWorkflow.Core.Assignments;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CreationWorkflow.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class InboxSubmittedAt : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "SubmittedAt",
                table: "assignments",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<DateOnly>(
                name: "SubmittedOn",
                table: "assignments",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_assignments_ReviewerUnit_State",
                table: "assignments",
                columns: new[] { "ReviewerUnit", "State" });

            // Backfill (see docs/assignment-lifecycle.md, Delivery and on time): the first delivery of work delivered or returned
            // so far is its earliest 提交 in the audit log; an acknowledge-only duty's is its 签收; a delivered row without
            // either entry takes UpdatedAt (its last change, no earlier than the delivery). SubmittedOn is that instant's date in
            // China (UTC+8, no daylight saving), decoded from the binary DateTimeOffset (local ticks / 1000 << 11 | offset minutes).
            migrationBuilder.Sql(Backfill("lower(assignments.\"Id\")", ChinaDate));
        }

        /// <summary>The stored "SubmittedAt" (EF's binary DateTimeOffset) as its date in China, in SQLite's SQL.</summary>
        internal const string ChinaDate =
            "date(((\"SubmittedAt\" >> 11) / 10000) - 62135596800 - (CASE WHEN (\"SubmittedAt\" & 2047) > 1023 THEN (\"SubmittedAt\" & 2047) - 2048 ELSE (\"SubmittedAt\" & 2047) END) * 60 + 28800, 'unixepoch')";

        /// <summary>The backfill statements, with the provider's way of naming the row's id as audit text and of dating an instant.</summary>
        internal static string Backfill(string idAsText, string chinaDate)
        {
            var submit = AuditActions.Assignment(AssignmentTrigger.Submit);
            var acknowledge = AuditActions.Assignment(AssignmentTrigger.Acknowledge);
            string First(string action) =>
                $"(SELECT MIN(e.\"At\") FROM audit_log e WHERE e.\"Entity\" = '{AuditEntities.Assignment}' AND e.\"EntityId\" = {idAsText} AND e.\"Action\" = '{action}')";
            return $"""
                UPDATE assignments SET "SubmittedAt" = {First(submit)} WHERE "State" IN ('Submitted', 'Approved', 'Returned');
                UPDATE assignments SET "SubmittedAt" = {First(acknowledge)} WHERE "SubmittedAt" IS NULL AND "State" = 'Approved';
                UPDATE assignments SET "SubmittedAt" = "UpdatedAt" WHERE "SubmittedAt" IS NULL AND "State" IN ('Submitted', 'Approved');
                UPDATE assignments SET "SubmittedOn" = {chinaDate} WHERE "SubmittedAt" IS NOT NULL;
                """;
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
