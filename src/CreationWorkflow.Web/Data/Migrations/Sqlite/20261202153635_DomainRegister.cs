using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CreationWorkflow.Web.Data.Migrations.Sqlite
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
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ProgrammeId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Division = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Field = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Count = table.Column<int>(type: "INTEGER", nullable: false),
                    Source = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    EnteredBy = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    EnteredAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_place_denominators", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "places",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ProgrammeId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Division = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Field = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    State = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Level = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    NamedOn = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    NamedYear = table.Column<int>(type: "INTEGER", nullable: true),
                    TenHundred = table.Column<bool>(type: "INTEGER", nullable: false),
                    Review = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    ReviewNote = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    EnteredBy = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    EnteredAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ReviewedBy = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    ReviewedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Revision = table.Column<int>(type: "INTEGER", nullable: false)
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
