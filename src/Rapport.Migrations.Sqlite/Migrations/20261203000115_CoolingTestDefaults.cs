using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Rapport.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class CoolingTestDefaults : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Issue 11 changed the cooling tests and their defaults (docs/decisions/0007): a practice
            // that saved its alert settings while they still held the old defaults moves to the new
            // ones; a value the practice chose itself stays.
            migrationBuilder.Sql("UPDATE \"HealthSettings\" SET \"FalseDiscoveryRate\" = 0.175 WHERE \"FalseDiscoveryRate\" = 0.25");
            migrationBuilder.Sql("UPDATE \"HealthSettings\" SET \"DeclineThresholdPercent\" = 30 WHERE \"DeclineThresholdPercent\" = 40");
            migrationBuilder.Sql("UPDATE \"HealthSettings\" SET \"LapsedMinimumDays\" = 30 WHERE \"LapsedMinimumDays\" = 60");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("UPDATE \"HealthSettings\" SET \"FalseDiscoveryRate\" = 0.25 WHERE \"FalseDiscoveryRate\" = 0.175");
            migrationBuilder.Sql("UPDATE \"HealthSettings\" SET \"DeclineThresholdPercent\" = 40 WHERE \"DeclineThresholdPercent\" = 30");
            migrationBuilder.Sql("UPDATE \"HealthSettings\" SET \"LapsedMinimumDays\" = 60 WHERE \"LapsedMinimumDays\" = 30");
        }
    }
}
