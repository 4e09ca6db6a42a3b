using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Rapport.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class ReferBackExpectationsAndImportedAddedOn : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "AddedOnFromReferrals",
                table: "ReferralSources",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<bool>(
                name: "ExpectsReferBacks",
                table: "ReferralSources",
                type: "boolean",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "NoReferBackSpecialties",
                table: "HealthSettings",
                type: "character varying(4000)",
                maxLength: 4000,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "AddedOnFromReferrals",
                table: "ReferralSources");

            migrationBuilder.DropColumn(
                name: "ExpectsReferBacks",
                table: "ReferralSources");

            migrationBuilder.DropColumn(
                name: "NoReferBackSpecialties",
                table: "HealthSettings");
        }
    }
}
