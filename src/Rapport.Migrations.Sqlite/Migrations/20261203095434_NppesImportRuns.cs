using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Rapport.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class NppesImportRuns : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "NppesImportRuns",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    FileKey = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    FileName = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    FileSize = table.Column<long>(type: "INTEGER", nullable: false),
                    Kind = table.Column<byte>(type: "INTEGER", nullable: false),
                    FileDate = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    Filters = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    Status = table.Column<byte>(type: "INTEGER", nullable: false),
                    StartedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    FinishedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    RowsBefore = table.Column<long>(type: "INTEGER", nullable: false),
                    ByteOffset = table.Column<long>(type: "INTEGER", nullable: false),
                    Line = table.Column<long>(type: "INTEGER", nullable: false),
                    Records = table.Column<long>(type: "INTEGER", nullable: false),
                    Kept = table.Column<long>(type: "INTEGER", nullable: false),
                    Written = table.Column<long>(type: "INTEGER", nullable: false),
                    Unchanged = table.Column<long>(type: "INTEGER", nullable: false),
                    Deactivated = table.Column<long>(type: "INTEGER", nullable: false),
                    BadRows = table.Column<long>(type: "INTEGER", nullable: false),
                    MarkedMissing = table.Column<long>(type: "INTEGER", nullable: false),
                    Added = table.Column<long>(type: "INTEGER", nullable: false),
                    ElapsedSeconds = table.Column<double>(type: "REAL", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_NppesImportRuns", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "NppesImportProblems",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    RunId = table.Column<int>(type: "INTEGER", nullable: false),
                    Line = table.Column<long>(type: "INTEGER", nullable: false),
                    Message = table.Column<string>(type: "TEXT", maxLength: 600, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_NppesImportProblems", x => x.Id);
                    table.ForeignKey(
                        name: "FK_NppesImportProblems_NppesImportRuns_RunId",
                        column: x => x.RunId,
                        principalTable: "NppesImportRuns",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_NppesImportProblems_RunId_Line",
                table: "NppesImportProblems",
                columns: new[] { "RunId", "Line" });

            migrationBuilder.CreateIndex(
                name: "IX_NppesImportRuns_FileKey_Status",
                table: "NppesImportRuns",
                columns: new[] { "FileKey", "Status" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "NppesImportProblems");

            migrationBuilder.DropTable(
                name: "NppesImportRuns");
        }
    }
}
