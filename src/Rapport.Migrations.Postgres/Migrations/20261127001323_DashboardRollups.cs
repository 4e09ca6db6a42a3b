using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Rapport.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class DashboardRollups : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_ReferralsOut_OrganizationId",
                table: "ReferralsOut");

            migrationBuilder.CreateTable(
                name: "EvaluationLagStats",
                columns: table => new
                {
                    OrganizationId = table.Column<int>(type: "integer", nullable: false),
                    ClinicId = table.Column<int>(type: "integer", nullable: false),
                    Month = table.Column<DateOnly>(type: "date", nullable: false),
                    LagDays = table.Column<int>(type: "integer", nullable: false),
                    Count = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_EvaluationLagStats", x => new { x.OrganizationId, x.ClinicId, x.Month, x.LagDays });
                    table.ForeignKey(
                        name: "FK_EvaluationLagStats_Organizations_OrganizationId",
                        column: x => x.OrganizationId,
                        principalTable: "Organizations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ReferralMonthStats",
                columns: table => new
                {
                    OrganizationId = table.Column<int>(type: "integer", nullable: false),
                    ClinicId = table.Column<int>(type: "integer", nullable: false),
                    Month = table.Column<DateOnly>(type: "date", nullable: false),
                    Channel = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Received = table.Column<int>(type: "integer", nullable: false),
                    Evaluated = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ReferralMonthStats", x => new { x.OrganizationId, x.ClinicId, x.Month, x.Channel });
                    table.ForeignKey(
                        name: "FK_ReferralMonthStats_Organizations_OrganizationId",
                        column: x => x.OrganizationId,
                        principalTable: "Organizations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "RollupDirtyMonths",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    OrganizationId = table.Column<int>(type: "integer", nullable: false),
                    Month = table.Column<DateOnly>(type: "date", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RollupDirtyMonths", x => x.Id);
                    table.ForeignKey(
                        name: "FK_RollupDirtyMonths_Organizations_OrganizationId",
                        column: x => x.OrganizationId,
                        principalTable: "Organizations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "SourceMonthStats",
                columns: table => new
                {
                    OrganizationId = table.Column<int>(type: "integer", nullable: false),
                    ClinicId = table.Column<int>(type: "integer", nullable: false),
                    SourceId = table.Column<int>(type: "integer", nullable: false),
                    Month = table.Column<DateOnly>(type: "date", nullable: false),
                    Received = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SourceMonthStats", x => new { x.OrganizationId, x.ClinicId, x.SourceId, x.Month });
                    table.ForeignKey(
                        name: "FK_SourceMonthStats_Organizations_OrganizationId",
                        column: x => x.OrganizationId,
                        principalTable: "Organizations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "SourceYearStats",
                columns: table => new
                {
                    OrganizationId = table.Column<int>(type: "integer", nullable: false),
                    ClinicId = table.Column<int>(type: "integer", nullable: false),
                    Year = table.Column<int>(type: "integer", nullable: false),
                    SourceId = table.Column<int>(type: "integer", nullable: false),
                    Received = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SourceYearStats", x => new { x.OrganizationId, x.ClinicId, x.Year, x.SourceId });
                    table.ForeignKey(
                        name: "FK_SourceYearStats_Organizations_OrganizationId",
                        column: x => x.OrganizationId,
                        principalTable: "Organizations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Touchpoints_OrganizationId_OccurredOn_Method",
                table: "Touchpoints",
                columns: new[] { "OrganizationId", "OccurredOn", "Method" });

            migrationBuilder.CreateIndex(
                name: "IX_ReferralsOut_OrganizationId_SentOn",
                table: "ReferralsOut",
                columns: new[] { "OrganizationId", "SentOn" });

            migrationBuilder.CreateIndex(
                name: "IX_RollupDirtyMonths_OrganizationId",
                table: "RollupDirtyMonths",
                column: "OrganizationId");

            migrationBuilder.CreateIndex(
                name: "IX_SourceMonthStats_OrganizationId_ClinicId_Month_Received",
                table: "SourceMonthStats",
                columns: new[] { "OrganizationId", "ClinicId", "Month", "Received" });

            migrationBuilder.CreateIndex(
                name: "IX_SourceMonthStats_OrganizationId_Month",
                table: "SourceMonthStats",
                columns: new[] { "OrganizationId", "Month" });

            migrationBuilder.CreateIndex(
                name: "IX_SourceYearStats_OrganizationId_ClinicId_Year_Received",
                table: "SourceYearStats",
                columns: new[] { "OrganizationId", "ClinicId", "Year", "Received" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "EvaluationLagStats");

            migrationBuilder.DropTable(
                name: "ReferralMonthStats");

            migrationBuilder.DropTable(
                name: "RollupDirtyMonths");

            migrationBuilder.DropTable(
                name: "SourceMonthStats");

            migrationBuilder.DropTable(
                name: "SourceYearStats");

            migrationBuilder.DropIndex(
                name: "IX_Touchpoints_OrganizationId_OccurredOn_Method",
                table: "Touchpoints");

            migrationBuilder.DropIndex(
                name: "IX_ReferralsOut_OrganizationId_SentOn",
                table: "ReferralsOut");

            migrationBuilder.CreateIndex(
                name: "IX_ReferralsOut_OrganizationId",
                table: "ReferralsOut",
                column: "OrganizationId");
        }
    }
}
