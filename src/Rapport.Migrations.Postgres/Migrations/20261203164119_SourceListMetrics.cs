using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Rapport.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class SourceListMetrics : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "SourceListMetrics",
                columns: table => new
                {
                    SourceId = table.Column<int>(type: "integer", nullable: false),
                    OrganizationId = table.Column<int>(type: "integer", nullable: false),
                    ActivePatients = table.Column<int>(type: "integer", nullable: false),
                    Referrals90d = table.Column<int>(type: "integer", nullable: false),
                    Referrals12m = table.Column<int>(type: "integer", nullable: false),
                    ReferBacks12m = table.Column<int>(type: "integer", nullable: false),
                    LastTouchDay = table.Column<int>(type: "integer", nullable: false),
                    LastReferBackDay = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SourceListMetrics", x => x.SourceId);
                    table.ForeignKey(
                        name: "FK_SourceListMetrics_Organizations_OrganizationId",
                        column: x => x.OrganizationId,
                        principalTable: "Organizations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_SourceListMetrics_ReferralSources_SourceId",
                        column: x => x.SourceId,
                        principalTable: "ReferralSources",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "SourceListStates",
                columns: table => new
                {
                    OrganizationId = table.Column<int>(type: "integer", nullable: false),
                    AsOf = table.Column<DateOnly>(type: "date", nullable: false),
                    SeenSourceId = table.Column<int>(type: "integer", nullable: false),
                    SeenTouchpointId = table.Column<int>(type: "integer", nullable: false),
                    SeenReferralOutId = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SourceListStates", x => x.OrganizationId);
                    table.ForeignKey(
                        name: "FK_SourceListStates_Organizations_OrganizationId",
                        column: x => x.OrganizationId,
                        principalTable: "Organizations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "SourceMetricsDirty",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    OrganizationId = table.Column<int>(type: "integer", nullable: false),
                    SourceId = table.Column<int>(type: "integer", nullable: true),
                    Month = table.Column<DateOnly>(type: "date", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SourceMetricsDirty", x => x.Id);
                    table.ForeignKey(
                        name: "FK_SourceMetricsDirty_Organizations_OrganizationId",
                        column: x => x.OrganizationId,
                        principalTable: "Organizations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ReferralSources_OrganizationId_ArchivedAt_Status",
                table: "ReferralSources",
                columns: new[] { "OrganizationId", "ArchivedAt", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_SourceListMetrics_ActivePatients_Down",
                table: "SourceListMetrics",
                columns: new[] { "OrganizationId", "ActivePatients", "SourceId" },
                descending: new[] { false, true, false });

            migrationBuilder.CreateIndex(
                name: "IX_SourceListMetrics_ActivePatients_Up",
                table: "SourceListMetrics",
                columns: new[] { "OrganizationId", "ActivePatients", "SourceId" });

            migrationBuilder.CreateIndex(
                name: "IX_SourceListMetrics_LastReferBackDay_Down",
                table: "SourceListMetrics",
                columns: new[] { "OrganizationId", "LastReferBackDay", "SourceId" },
                descending: new[] { false, true, false });

            migrationBuilder.CreateIndex(
                name: "IX_SourceListMetrics_LastReferBackDay_Up",
                table: "SourceListMetrics",
                columns: new[] { "OrganizationId", "LastReferBackDay", "SourceId" });

            migrationBuilder.CreateIndex(
                name: "IX_SourceListMetrics_LastTouchDay_Down",
                table: "SourceListMetrics",
                columns: new[] { "OrganizationId", "LastTouchDay", "SourceId" },
                descending: new[] { false, true, false });

            migrationBuilder.CreateIndex(
                name: "IX_SourceListMetrics_LastTouchDay_Up",
                table: "SourceListMetrics",
                columns: new[] { "OrganizationId", "LastTouchDay", "SourceId" });

            migrationBuilder.CreateIndex(
                name: "IX_SourceListMetrics_ReferBacks12m_Down",
                table: "SourceListMetrics",
                columns: new[] { "OrganizationId", "ReferBacks12m", "SourceId" },
                descending: new[] { false, true, false });

            migrationBuilder.CreateIndex(
                name: "IX_SourceListMetrics_ReferBacks12m_Up",
                table: "SourceListMetrics",
                columns: new[] { "OrganizationId", "ReferBacks12m", "SourceId" });

            migrationBuilder.CreateIndex(
                name: "IX_SourceListMetrics_Referrals12m_Down",
                table: "SourceListMetrics",
                columns: new[] { "OrganizationId", "Referrals12m", "SourceId" },
                descending: new[] { false, true, false });

            migrationBuilder.CreateIndex(
                name: "IX_SourceListMetrics_Referrals12m_Up",
                table: "SourceListMetrics",
                columns: new[] { "OrganizationId", "Referrals12m", "SourceId" });

            migrationBuilder.CreateIndex(
                name: "IX_SourceListMetrics_Referrals90d_Down",
                table: "SourceListMetrics",
                columns: new[] { "OrganizationId", "Referrals90d", "SourceId" },
                descending: new[] { false, true, false });

            migrationBuilder.CreateIndex(
                name: "IX_SourceListMetrics_Referrals90d_Up",
                table: "SourceListMetrics",
                columns: new[] { "OrganizationId", "Referrals90d", "SourceId" });

            migrationBuilder.CreateIndex(
                name: "IX_SourceMetricsDirty_OrganizationId",
                table: "SourceMetricsDirty",
                column: "OrganizationId");

            // The sources list's search (SourceQueries.SearchIndexCandidates): trigram GIN indexes
            // on exactly the expressions its LIKE conditions use, so a contains-search is an index scan.
            migrationBuilder.Sql("CREATE EXTENSION IF NOT EXISTS pg_trgm;");
            migrationBuilder.Sql("""
                CREATE INDEX "IX_ReferralSources_SearchName" ON "ReferralSources" USING gin ((lower(COALESCE("FirstName", '') || ' ' || "LastName")) gin_trgm_ops);
                """);
            migrationBuilder.Sql("""
                CREATE INDEX "IX_ReferralSources_SearchPractice" ON "ReferralSources" USING gin ((lower("PracticeName")) gin_trgm_ops);
                """);
            migrationBuilder.Sql("""
                CREATE INDEX "IX_ReferralSources_SearchNpi" ON "ReferralSources" USING gin ("Npi" gin_trgm_ops);
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""DROP INDEX "IX_ReferralSources_SearchNpi";""");
            migrationBuilder.Sql("""DROP INDEX "IX_ReferralSources_SearchPractice";""");
            migrationBuilder.Sql("""DROP INDEX "IX_ReferralSources_SearchName";""");

            migrationBuilder.DropTable(
                name: "SourceListMetrics");

            migrationBuilder.DropTable(
                name: "SourceListStates");

            migrationBuilder.DropTable(
                name: "SourceMetricsDirty");

            migrationBuilder.DropIndex(
                name: "IX_ReferralSources_OrganizationId_ArchivedAt_Status",
                table: "ReferralSources");
        }
    }
}
