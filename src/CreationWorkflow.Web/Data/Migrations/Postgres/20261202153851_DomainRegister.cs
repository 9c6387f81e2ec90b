using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace CreationWorkflow.Web.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class DomainRegister : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "place_denominators",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    ProgrammeId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Division = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Field = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Count = table.Column<int>(type: "integer", nullable: false),
                    Source = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    EnteredBy = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    EnteredAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_place_denominators", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "places",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    ProgrammeId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Division = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Field = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    State = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Level = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    NamedOn = table.Column<DateOnly>(type: "date", nullable: true),
                    NamedYear = table.Column<int>(type: "integer", nullable: true),
                    TenHundred = table.Column<bool>(type: "boolean", nullable: false),
                    Review = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    ReviewNote = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    EnteredBy = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    EnteredAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ReviewedBy = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    ReviewedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    Revision = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_places", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_place_denominators_ProgrammeId_Division_Field",
                table: "place_denominators",
                columns: new[] { "ProgrammeId", "Division", "Field" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_places_ProgrammeId_Division_Field_Name",
                table: "places",
                columns: new[] { "ProgrammeId", "Division", "Field", "Name" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_places_ProgrammeId_Review_Division_Field",
                table: "places",
                columns: new[] { "ProgrammeId", "Review", "Division", "Field" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "place_denominators");

            migrationBuilder.DropTable(
                name: "places");
        }
    }
}
