using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace CreationWorkflow.Web.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ChannelsContacts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_outbox_messages_State_NextAttemptAt",
                table: "outbox_messages");

            migrationBuilder.AddColumn<string>(
                name: "Channel",
                table: "outbox_messages",
                type: "character varying(16)",
                maxLength: 16,
                nullable: false,
                defaultValue: "Mail");

            migrationBuilder.AddColumn<string>(
                name: "TargetProtected",
                table: "outbox_messages",
                type: "character varying(4000)",
                maxLength: 4000,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "ChannelsQueued",
                table: "notifications",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateTable(
                name: "unit_contacts",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    ProgrammeId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    UnitName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Role = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Phone = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: true),
                    Email = table.Column<string>(type: "character varying(254)", maxLength: 254, nullable: true),
                    WeComWebhookProtected = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    DingTalkWebhookProtected = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    DingTalkSecretProtected = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    WebhookUrlProtected = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    WebhookSecretProtected = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_unit_contacts", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_outbox_messages_State_Channel_NextAttemptAt",
                table: "outbox_messages",
                columns: new[] { "State", "Channel", "NextAttemptAt" });

            migrationBuilder.CreateIndex(
                name: "IX_notifications_ChannelsQueued_Id",
                table: "notifications",
                columns: new[] { "ChannelsQueued", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_unit_contacts_ProgrammeId_UnitName_Role",
                table: "unit_contacts",
                columns: new[] { "ProgrammeId", "UnitName", "Role" },
                unique: true);

            // One spelling per notification kind (Core/Notifications/NotificationKind.cs); reading still accepts the old ones.
            migrationBuilder.Sql("UPDATE notifications SET \"Kind\" = 'submitted' WHERE \"Kind\" = 'Submit';");
            migrationBuilder.Sql("UPDATE notifications SET \"Kind\" = 'returned' WHERE \"Kind\" = 'Return';");
            migrationBuilder.Sql("UPDATE notifications SET \"Kind\" = 'approved' WHERE \"Kind\" = 'Approve';");
            migrationBuilder.Sql("UPDATE notifications SET \"Kind\" = 'extension-requested' WHERE \"Kind\" = 'RequestExtension';");
            migrationBuilder.Sql("UPDATE notifications SET \"Kind\" = 'extension-approved' WHERE \"Kind\" = 'ApproveExtension';");
            migrationBuilder.Sql("UPDATE notifications SET \"Kind\" = 'extension-refused' WHERE \"Kind\" = 'RefuseExtension';");
            migrationBuilder.Sql("UPDATE notifications SET \"Kind\" = 'cancelled' WHERE \"Kind\" = 'Cancel';");
            migrationBuilder.Sql("UPDATE notifications SET \"Kind\" = 'due-soon' WHERE \"Kind\" = 'BeforeDue';");
            migrationBuilder.Sql("UPDATE notifications SET \"Kind\" = 'due' WHERE \"Kind\" = 'OnDue';");
            migrationBuilder.Sql("UPDATE notifications SET \"Kind\" = 'overdue' WHERE \"Kind\" = 'Overdue';");
            migrationBuilder.Sql("UPDATE notifications SET \"Kind\" = 'escalation' WHERE \"Kind\" = 'Escalation';");
            migrationBuilder.Sql("UPDATE notifications SET \"Kind\" = 'order-issued' WHERE \"Kind\" = 'order.issued';");
            migrationBuilder.Sql("UPDATE notifications SET \"Kind\" = 'order-answered' WHERE \"Kind\" = 'order.answered';");
            migrationBuilder.Sql("UPDATE notifications SET \"Kind\" = 'order-closed' WHERE \"Kind\" = 'order.closed';");
            migrationBuilder.Sql("UPDATE notifications SET \"Kind\" = 'order-escalated' WHERE \"Kind\" = 'order.escalated';");
            migrationBuilder.Sql("UPDATE notifications SET \"Kind\" = 'assessment-review' WHERE \"Kind\" = 'review';");
            // Notices written before the channels existed are history: they are not sent to robots now.
            migrationBuilder.Sql("UPDATE notifications SET \"ChannelsQueued\" = TRUE;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "unit_contacts");

            migrationBuilder.DropIndex(
                name: "IX_outbox_messages_State_Channel_NextAttemptAt",
                table: "outbox_messages");

            migrationBuilder.DropIndex(
                name: "IX_notifications_ChannelsQueued_Id",
                table: "notifications");

            migrationBuilder.DropColumn(
                name: "Channel",
                table: "outbox_messages");

            migrationBuilder.DropColumn(
                name: "TargetProtected",
                table: "outbox_messages");

            migrationBuilder.DropColumn(
                name: "ChannelsQueued",
                table: "notifications");

            migrationBuilder.CreateIndex(
                name: "IX_outbox_messages_State_NextAttemptAt",
                table: "outbox_messages",
                columns: new[] { "State", "NextAttemptAt" });
        }
    }
}
