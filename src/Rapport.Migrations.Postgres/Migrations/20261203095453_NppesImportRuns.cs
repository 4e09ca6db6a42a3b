using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Rapport.Migrations.Postgres.Migrations
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
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    FileKey = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    FileName = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    FileSize = table.Column<long>(type: "bigint", nullable: false),
                    Kind = table.Column<byte>(type: "smallint", nullable: false),
                    FileDate = table.Column<DateOnly>(type: "date", nullable: true),
                    Filters = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    Status = table.Column<byte>(type: "smallint", nullable: false),
                    StartedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    FinishedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    RowsBefore = table.Column<long>(type: "bigint", nullable: false),
                    ByteOffset = table.Column<long>(type: "bigint", nullable: false),
                    Line = table.Column<long>(type: "bigint", nullable: false),
                    Records = table.Column<long>(type: "bigint", nullable: false),
                    Kept = table.Column<long>(type: "bigint", nullable: false),
                    Written = table.Column<long>(type: "bigint", nullable: false),
                    Unchanged = table.Column<long>(type: "bigint", nullable: false),
                    Deactivated = table.Column<long>(type: "bigint", nullable: false),
                    BadRows = table.Column<long>(type: "bigint", nullable: false),
                    MarkedMissing = table.Column<long>(type: "bigint", nullable: false),
                    Added = table.Column<long>(type: "bigint", nullable: false),
                    ElapsedSeconds = table.Column<double>(type: "double precision", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_NppesImportRuns", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "NppesImportProblems",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    RunId = table.Column<int>(type: "integer", nullable: false),
                    Line = table.Column<long>(type: "bigint", nullable: false),
                    Message = table.Column<string>(type: "character varying(600)", maxLength: 600, nullable: false)
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
