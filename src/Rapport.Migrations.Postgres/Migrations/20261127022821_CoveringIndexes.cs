using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Rapport.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class CoveringIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Touchpoints_OrganizationId_OccurredOn_Method",
                table: "Touchpoints");

            migrationBuilder.DropIndex(
                name: "IX_Touchpoints_SourceId_OccurredOn",
                table: "Touchpoints");

            migrationBuilder.DropIndex(
                name: "IX_SourceMonthStats_OrganizationId_Month",
                table: "SourceMonthStats");

            migrationBuilder.DropIndex(
                name: "IX_ReferralsOut_OrganizationId_SentOn",
                table: "ReferralsOut");

            migrationBuilder.DropIndex(
                name: "IX_ReferralsOut_ToSourceId_SentOn",
                table: "ReferralsOut");

            migrationBuilder.DropIndex(
                name: "IX_Referrals_OrganizationId_ReceivedOn",
                table: "Referrals");

            migrationBuilder.DropIndex(
                name: "IX_Referrals_SourceId_ReceivedOn",
                table: "Referrals");

            migrationBuilder.CreateIndex(
                name: "IX_Touchpoints_OrganizationId_OccurredOn_Method_SourceId",
                table: "Touchpoints",
                columns: new[] { "OrganizationId", "OccurredOn", "Method", "SourceId" });

            migrationBuilder.CreateIndex(
                name: "IX_Touchpoints_SourceId_OccurredOn_OrganizationId_Method",
                table: "Touchpoints",
                columns: new[] { "SourceId", "OccurredOn", "OrganizationId", "Method" });

            migrationBuilder.CreateIndex(
                name: "IX_SourceMonthStats_OrganizationId_Month_ClinicId_SourceId_Rec~",
                table: "SourceMonthStats",
                columns: new[] { "OrganizationId", "Month", "ClinicId", "SourceId", "Received" });

            migrationBuilder.CreateIndex(
                name: "IX_ReferralsOut_OrganizationId_SentOn_ToSourceId",
                table: "ReferralsOut",
                columns: new[] { "OrganizationId", "SentOn", "ToSourceId" });

            migrationBuilder.CreateIndex(
                name: "IX_ReferralsOut_ToSourceId_SentOn_OrganizationId",
                table: "ReferralsOut",
                columns: new[] { "ToSourceId", "SentOn", "OrganizationId" });

            migrationBuilder.CreateIndex(
                name: "IX_Referrals_OrganizationId_ReceivedOn_SourceId_ClinicId",
                table: "Referrals",
                columns: new[] { "OrganizationId", "ReceivedOn", "SourceId", "ClinicId" });

            migrationBuilder.CreateIndex(
                name: "IX_Referrals_SourceId_ReceivedOn_OrganizationId",
                table: "Referrals",
                columns: new[] { "SourceId", "ReceivedOn", "OrganizationId" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Touchpoints_OrganizationId_OccurredOn_Method_SourceId",
                table: "Touchpoints");

            migrationBuilder.DropIndex(
                name: "IX_Touchpoints_SourceId_OccurredOn_OrganizationId_Method",
                table: "Touchpoints");

            migrationBuilder.DropIndex(
                name: "IX_SourceMonthStats_OrganizationId_Month_ClinicId_SourceId_Rec~",
                table: "SourceMonthStats");

            migrationBuilder.DropIndex(
                name: "IX_ReferralsOut_OrganizationId_SentOn_ToSourceId",
                table: "ReferralsOut");

            migrationBuilder.DropIndex(
                name: "IX_ReferralsOut_ToSourceId_SentOn_OrganizationId",
                table: "ReferralsOut");

            migrationBuilder.DropIndex(
                name: "IX_Referrals_OrganizationId_ReceivedOn_SourceId_ClinicId",
                table: "Referrals");

            migrationBuilder.DropIndex(
                name: "IX_Referrals_SourceId_ReceivedOn_OrganizationId",
                table: "Referrals");

            migrationBuilder.CreateIndex(
                name: "IX_Touchpoints_OrganizationId_OccurredOn_Method",
                table: "Touchpoints",
                columns: new[] { "OrganizationId", "OccurredOn", "Method" });

            migrationBuilder.CreateIndex(
                name: "IX_Touchpoints_SourceId_OccurredOn",
                table: "Touchpoints",
                columns: new[] { "SourceId", "OccurredOn" });

            migrationBuilder.CreateIndex(
                name: "IX_SourceMonthStats_OrganizationId_Month",
                table: "SourceMonthStats",
                columns: new[] { "OrganizationId", "Month" });

            migrationBuilder.CreateIndex(
                name: "IX_ReferralsOut_OrganizationId_SentOn",
                table: "ReferralsOut",
                columns: new[] { "OrganizationId", "SentOn" });

            migrationBuilder.CreateIndex(
                name: "IX_ReferralsOut_ToSourceId_SentOn",
                table: "ReferralsOut",
                columns: new[] { "ToSourceId", "SentOn" });

            migrationBuilder.CreateIndex(
                name: "IX_Referrals_OrganizationId_ReceivedOn",
                table: "Referrals",
                columns: new[] { "OrganizationId", "ReceivedOn" });

            migrationBuilder.CreateIndex(
                name: "IX_Referrals_SourceId_ReceivedOn",
                table: "Referrals",
                columns: new[] { "SourceId", "ReceivedOn" });
        }
    }
}
