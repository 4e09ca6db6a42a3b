using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Rapport.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class HealthAlerts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<decimal>(
                name: "Cost",
                table: "Touchpoints",
                type: "TEXT",
                precision: 10,
                scale: 2,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "AlertAcknowledgements",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    OrganizationId = table.Column<int>(type: "INTEGER", nullable: false),
                    SourceId = table.Column<int>(type: "INTEGER", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Fingerprint = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    AcknowledgedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    SnoozedUntil = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    By = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AlertAcknowledgements", x => x.Id);
                    table.ForeignKey(
                        name: "FK_AlertAcknowledgements_Organizations_OrganizationId",
                        column: x => x.OrganizationId,
                        principalTable: "Organizations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_AlertAcknowledgements_ReferralSources_SourceId",
                        column: x => x.SourceId,
                        principalTable: "ReferralSources",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "HealthSettings",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    OrganizationId = table.Column<int>(type: "INTEGER", nullable: false),
                    RecentMonths = table.Column<int>(type: "INTEGER", nullable: false),
                    DeclineThresholdPercent = table.Column<double>(type: "REAL", nullable: false),
                    FalseDiscoveryRate = table.Column<double>(type: "REAL", nullable: false),
                    LapsedMinimumDays = table.Column<int>(type: "INTEGER", nullable: false),
                    ReciprocityGapDays = table.Column<int>(type: "INTEGER", nullable: false),
                    TopReferrerCadenceDays = table.Column<int>(type: "INTEGER", nullable: false),
                    OtherCadenceDays = table.Column<int>(type: "INTEGER", nullable: false),
                    ProspectCadenceDays = table.Column<int>(type: "INTEGER", nullable: false),
                    ConcentrationPercent = table.Column<double>(type: "REAL", nullable: false),
                    NewReferrerDays = table.Column<int>(type: "INTEGER", nullable: false),
                    NonMonetaryCapUsd = table.Column<decimal>(type: "TEXT", precision: 10, scale: 2, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_HealthSettings", x => x.Id);
                    table.ForeignKey(
                        name: "FK_HealthSettings_Organizations_OrganizationId",
                        column: x => x.OrganizationId,
                        principalTable: "Organizations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_AlertAcknowledgements_OrganizationId_SourceId_Kind",
                table: "AlertAcknowledgements",
                columns: new[] { "OrganizationId", "SourceId", "Kind" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_AlertAcknowledgements_SourceId",
                table: "AlertAcknowledgements",
                column: "SourceId");

            migrationBuilder.CreateIndex(
                name: "IX_HealthSettings_OrganizationId",
                table: "HealthSettings",
                column: "OrganizationId",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AlertAcknowledgements");

            migrationBuilder.DropTable(
                name: "HealthSettings");

            migrationBuilder.DropColumn(
                name: "Cost",
                table: "Touchpoints");
        }
    }
}
