using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Rapport.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class OutcomeAssessments : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "OutcomeAssessments",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    OrganizationId = table.Column<int>(type: "integer", nullable: false),
                    ReferralId = table.Column<int>(type: "integer", nullable: false),
                    Instrument = table.Column<string>(type: "character varying(24)", maxLength: 24, nullable: false),
                    Timepoint = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    AssessedOn = table.Column<DateOnly>(type: "date", nullable: false),
                    Answers = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    ItemNames = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    VisitNumber = table.Column<int>(type: "integer", nullable: true),
                    Raw = table.Column<double>(type: "double precision", nullable: true),
                    Score = table.Column<double>(type: "double precision", nullable: true),
                    Scorable = table.Column<bool>(type: "boolean", nullable: false),
                    CreatedBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_OutcomeAssessments", x => x.Id);
                    table.ForeignKey(
                        name: "FK_OutcomeAssessments_Organizations_OrganizationId",
                        column: x => x.OrganizationId,
                        principalTable: "Organizations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_OutcomeAssessments_Referrals_ReferralId",
                        column: x => x.ReferralId,
                        principalTable: "Referrals",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_OutcomeAssessments_OrganizationId_Instrument",
                table: "OutcomeAssessments",
                columns: new[] { "OrganizationId", "Instrument" });

            migrationBuilder.CreateIndex(
                name: "IX_OutcomeAssessments_ReferralId_Instrument_AssessedOn",
                table: "OutcomeAssessments",
                columns: new[] { "ReferralId", "Instrument", "AssessedOn" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "OutcomeAssessments");
        }
    }
}
