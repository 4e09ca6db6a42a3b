using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Rapport.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class CallsPerOwner : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "CallsPerOwner",
                table: "HealthSettings",
                type: "integer",
                nullable: false,
                defaultValue: 15); // HealthSettings.DefaultCallsPerOwner for practices that saved settings before
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "CallsPerOwner",
                table: "HealthSettings");
        }
    }
}
