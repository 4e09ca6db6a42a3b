using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Rapport.Migrations.Postgres.Migrations
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
                    Npi = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    EntityType = table.Column<byte>(type: "smallint", nullable: true),
                    BusinessName = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    LastName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    FirstName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    MiddleName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    NamePrefix = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    NameSuffix = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    Credential = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    TaxonomyCode = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: true),
                    AddressLine1 = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    AddressLine2 = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    City = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    State = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    PostalCode = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    Zip5 = table.Column<string>(type: "character varying(5)", maxLength: 5, nullable: true),
                    CountryCode = table.Column<string>(type: "character varying(2)", maxLength: 2, nullable: true),
                    Phone = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    Fax = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    Gender = table.Column<string>(type: "character varying(1)", maxLength: 1, nullable: true),
                    EnumerationDate = table.Column<DateOnly>(type: "date", nullable: true),
                    LastUpdateDate = table.Column<DateOnly>(type: "date", nullable: true),
                    DeactivationDate = table.Column<DateOnly>(type: "date", nullable: true),
                    ReactivationDate = table.Column<DateOnly>(type: "date", nullable: true),
                    Latitude = table.Column<double>(type: "double precision", nullable: true),
                    Longitude = table.Column<double>(type: "double precision", nullable: true),
                    AddressKey = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: true),
                    ContentHash = table.Column<long>(type: "bigint", nullable: false),
                    MissingSince = table.Column<DateOnly>(type: "date", nullable: true),
                    UpdatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
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
