using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Rapport.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class NppesRegistry : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "RegistryProviders",
                columns: table => new
                {
                    Npi = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    EntityType = table.Column<byte>(type: "INTEGER", nullable: true),
                    BusinessName = table.Column<string>(type: "TEXT", maxLength: 300, nullable: true),
                    LastName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    FirstName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    MiddleName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    NamePrefix = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    NameSuffix = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    Credential = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    TaxonomyCode = table.Column<string>(type: "TEXT", maxLength: 10, nullable: true),
                    AddressLine1 = table.Column<string>(type: "TEXT", maxLength: 300, nullable: true),
                    AddressLine2 = table.Column<string>(type: "TEXT", maxLength: 300, nullable: true),
                    City = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    State = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    PostalCode = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    Zip5 = table.Column<string>(type: "TEXT", maxLength: 5, nullable: true),
                    CountryCode = table.Column<string>(type: "TEXT", maxLength: 2, nullable: true),
                    Phone = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    Fax = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    Gender = table.Column<string>(type: "TEXT", maxLength: 1, nullable: true),
                    EnumerationDate = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    LastUpdateDate = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    DeactivationDate = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    ReactivationDate = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    Latitude = table.Column<double>(type: "REAL", nullable: true),
                    Longitude = table.Column<double>(type: "REAL", nullable: true),
                    AddressKey = table.Column<string>(type: "TEXT", maxLength: 320, nullable: true),
                    ContentHash = table.Column<long>(type: "INTEGER", nullable: false),
                    MissingSince = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RegistryProviders", x => x.Npi);
                });

            migrationBuilder.CreateIndex(
                name: "IX_RegistryProviders_AddressKey",
                table: "RegistryProviders",
                column: "AddressKey");

            migrationBuilder.CreateIndex(
                name: "IX_RegistryProviders_State_TaxonomyCode",
                table: "RegistryProviders",
                columns: new[] { "State", "TaxonomyCode" });

            migrationBuilder.CreateIndex(
                name: "IX_RegistryProviders_TaxonomyCode_Latitude_Longitude",
                table: "RegistryProviders",
                columns: new[] { "TaxonomyCode", "Latitude", "Longitude" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "RegistryProviders");
        }
    }
}
