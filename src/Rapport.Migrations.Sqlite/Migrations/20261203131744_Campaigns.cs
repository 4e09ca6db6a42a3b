using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Rapport.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class Campaigns : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "CampaignId",
                table: "Touchpoints",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "CampaignId",
                table: "Referrals",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "CampaignSettings",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    OrganizationId = table.Column<int>(type: "INTEGER", nullable: false),
                    AttributionWindowDays = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CampaignSettings", x => x.Id);
                    table.ForeignKey(
                        name: "FK_CampaignSettings_Organizations_OrganizationId",
                        column: x => x.OrganizationId,
                        principalTable: "Organizations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "Campaigns",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    OrganizationId = table.Column<int>(type: "INTEGER", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    StartsOn = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    EndsOn = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    OwnerUserId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: true),
                    Budget = table.Column<decimal>(type: "TEXT", precision: 12, scale: 2, nullable: true),
                    TargetSpecialties = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    Notes = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ArchivedAt = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Campaigns", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Campaigns_Organizations_OrganizationId",
                        column: x => x.OrganizationId,
                        principalTable: "Organizations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "CampaignClinics",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    OrganizationId = table.Column<int>(type: "INTEGER", nullable: false),
                    CampaignId = table.Column<int>(type: "INTEGER", nullable: false),
                    ClinicId = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CampaignClinics", x => x.Id);
                    table.ForeignKey(
                        name: "FK_CampaignClinics_Campaigns_CampaignId",
                        column: x => x.CampaignId,
                        principalTable: "Campaigns",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_CampaignClinics_Clinics_ClinicId",
                        column: x => x.ClinicId,
                        principalTable: "Clinics",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_CampaignClinics_Organizations_OrganizationId",
                        column: x => x.OrganizationId,
                        principalTable: "Organizations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "CampaignCosts",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    OrganizationId = table.Column<int>(type: "INTEGER", nullable: false),
                    CampaignId = table.Column<int>(type: "INTEGER", nullable: false),
                    Description = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Amount = table.Column<decimal>(type: "TEXT", precision: 12, scale: 2, nullable: false),
                    IncurredOn = table.Column<DateOnly>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CampaignCosts", x => x.Id);
                    table.ForeignKey(
                        name: "FK_CampaignCosts_Campaigns_CampaignId",
                        column: x => x.CampaignId,
                        principalTable: "Campaigns",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_CampaignCosts_Organizations_OrganizationId",
                        column: x => x.OrganizationId,
                        principalTable: "Organizations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "CampaignTargets",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    OrganizationId = table.Column<int>(type: "INTEGER", nullable: false),
                    CampaignId = table.Column<int>(type: "INTEGER", nullable: false),
                    SourceId = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CampaignTargets", x => x.Id);
                    table.ForeignKey(
                        name: "FK_CampaignTargets_Campaigns_CampaignId",
                        column: x => x.CampaignId,
                        principalTable: "Campaigns",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_CampaignTargets_Organizations_OrganizationId",
                        column: x => x.OrganizationId,
                        principalTable: "Organizations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_CampaignTargets_ReferralSources_SourceId",
                        column: x => x.SourceId,
                        principalTable: "ReferralSources",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Touchpoints_CampaignId_OccurredOn_SourceId",
                table: "Touchpoints",
                columns: new[] { "CampaignId", "OccurredOn", "SourceId" });

            migrationBuilder.CreateIndex(
                name: "IX_Referrals_CampaignId",
                table: "Referrals",
                column: "CampaignId");

            migrationBuilder.CreateIndex(
                name: "IX_CampaignClinics_CampaignId_ClinicId",
                table: "CampaignClinics",
                columns: new[] { "CampaignId", "ClinicId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_CampaignClinics_ClinicId",
                table: "CampaignClinics",
                column: "ClinicId");

            migrationBuilder.CreateIndex(
                name: "IX_CampaignClinics_OrganizationId",
                table: "CampaignClinics",
                column: "OrganizationId");

            migrationBuilder.CreateIndex(
                name: "IX_CampaignCosts_CampaignId",
                table: "CampaignCosts",
                column: "CampaignId");

            migrationBuilder.CreateIndex(
                name: "IX_CampaignCosts_OrganizationId",
                table: "CampaignCosts",
                column: "OrganizationId");

            migrationBuilder.CreateIndex(
                name: "IX_CampaignSettings_OrganizationId",
                table: "CampaignSettings",
                column: "OrganizationId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_CampaignTargets_CampaignId_SourceId",
                table: "CampaignTargets",
                columns: new[] { "CampaignId", "SourceId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_CampaignTargets_OrganizationId",
                table: "CampaignTargets",
                column: "OrganizationId");

            migrationBuilder.CreateIndex(
                name: "IX_CampaignTargets_SourceId",
                table: "CampaignTargets",
                column: "SourceId");

            migrationBuilder.CreateIndex(
                name: "IX_Campaigns_OrganizationId_Name",
                table: "Campaigns",
                columns: new[] { "OrganizationId", "Name" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Campaigns_OrganizationId_StartsOn",
                table: "Campaigns",
                columns: new[] { "OrganizationId", "StartsOn" });

            migrationBuilder.AddForeignKey(
                name: "FK_Referrals_Campaigns_CampaignId",
                table: "Referrals",
                column: "CampaignId",
                principalTable: "Campaigns",
                principalColumn: "Id",
                onDelete: ReferentialAction.SetNull);

            migrationBuilder.AddForeignKey(
                name: "FK_Touchpoints_Campaigns_CampaignId",
                table: "Touchpoints",
                column: "CampaignId",
                principalTable: "Campaigns",
                principalColumn: "Id",
                onDelete: ReferentialAction.SetNull);

            // Touches named their campaign in free text before campaigns were records: each practice's distinct names
            // (ignoring case and surrounding spaces) become campaigns spanning their touches, the kind guessed from the name.
            migrationBuilder.Sql("""
                INSERT INTO "Campaigns" ("OrganizationId", "Name", "Kind", "StartsOn", "EndsOn", "CreatedAt", "UpdatedAt")
                SELECT "OrganizationId", MIN(TRIM("Campaign")),
                       CASE WHEN LOWER(MIN("Campaign")) LIKE '%fair%' THEN 'HealthFair'
                            WHEN LOWER(MIN("Campaign")) LIKE '%newsletter%' THEN 'Newsletter'
                            WHEN LOWER(MIN("Campaign")) LIKE '%lunch%' THEN 'LunchAndLearn'
                            WHEN LOWER(MIN("Campaign")) LIKE '%conference%' THEN 'ConferenceExhibit'
                            WHEN LOWER(MIN("Campaign")) LIKE '%booth%' THEN 'Booth'
                            ELSE 'Other' END,
                       MIN("OccurredOn"), MAX("OccurredOn"), CURRENT_TIMESTAMP, CURRENT_TIMESTAMP
                FROM "Touchpoints"
                WHERE "Campaign" IS NOT NULL AND TRIM("Campaign") <> ''
                GROUP BY "OrganizationId", LOWER(TRIM("Campaign"));
                UPDATE "Touchpoints" SET "CampaignId" = (
                    SELECT c."Id" FROM "Campaigns" c
                    WHERE c."OrganizationId" = "Touchpoints"."OrganizationId" AND LOWER(c."Name") = LOWER(TRIM("Touchpoints"."Campaign")))
                WHERE "Campaign" IS NOT NULL AND TRIM("Campaign") <> '';
                """);

            migrationBuilder.DropColumn(
                name: "Campaign",
                table: "Touchpoints");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Campaign",
                table: "Touchpoints",
                type: "TEXT",
                maxLength: 200,
                nullable: true);

            migrationBuilder.Sql("""
                UPDATE "Touchpoints" SET "Campaign" = (SELECT c."Name" FROM "Campaigns" c WHERE c."Id" = "Touchpoints"."CampaignId")
                WHERE "CampaignId" IS NOT NULL;
                """);

            migrationBuilder.DropForeignKey(
                name: "FK_Referrals_Campaigns_CampaignId",
                table: "Referrals");

            migrationBuilder.DropForeignKey(
                name: "FK_Touchpoints_Campaigns_CampaignId",
                table: "Touchpoints");

            migrationBuilder.DropTable(
                name: "CampaignClinics");

            migrationBuilder.DropTable(
                name: "CampaignCosts");

            migrationBuilder.DropTable(
                name: "CampaignSettings");

            migrationBuilder.DropTable(
                name: "CampaignTargets");

            migrationBuilder.DropTable(
                name: "Campaigns");

            migrationBuilder.DropIndex(
                name: "IX_Touchpoints_CampaignId_OccurredOn_SourceId",
                table: "Touchpoints");

            migrationBuilder.DropIndex(
                name: "IX_Referrals_CampaignId",
                table: "Referrals");

            migrationBuilder.DropColumn(
                name: "CampaignId",
                table: "Touchpoints");

            migrationBuilder.DropColumn(
                name: "CampaignId",
                table: "Referrals");
        }
    }
}
