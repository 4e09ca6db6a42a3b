using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Rapport.Migrations.Sqlite.Migrations
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
                    SourceId = table.Column<int>(type: "INTEGER", nullable: false),
                    OrganizationId = table.Column<int>(type: "INTEGER", nullable: false),
                    ActivePatients = table.Column<int>(type: "INTEGER", nullable: false),
                    Referrals90d = table.Column<int>(type: "INTEGER", nullable: false),
                    Referrals12m = table.Column<int>(type: "INTEGER", nullable: false),
                    ReferBacks12m = table.Column<int>(type: "INTEGER", nullable: false),
                    LastTouchDay = table.Column<int>(type: "INTEGER", nullable: false),
                    LastReferBackDay = table.Column<int>(type: "INTEGER", nullable: false)
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
                    OrganizationId = table.Column<int>(type: "INTEGER", nullable: false),
                    AsOf = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    SeenSourceId = table.Column<int>(type: "INTEGER", nullable: false),
                    SeenTouchpointId = table.Column<int>(type: "INTEGER", nullable: false),
                    SeenReferralOutId = table.Column<int>(type: "INTEGER", nullable: false)
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
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    OrganizationId = table.Column<int>(type: "INTEGER", nullable: false),
                    SourceId = table.Column<int>(type: "INTEGER", nullable: true),
                    Month = table.Column<DateOnly>(type: "TEXT", nullable: true)
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

            // The sources list's search (SourceQueries.SearchIndexCandidates): an FTS5 trigram index
            // of the text the search matches, "first last" as the list concatenates it, the NPI and
            // the practice. External content (a view over ReferralSources), kept in step by triggers.
            migrationBuilder.Sql("""
                CREATE VIEW "SourceSearchText" AS
                SELECT "Id", COALESCE("FirstName", '') || ' ' || "LastName" AS "Name", "Npi", "PracticeName" FROM "ReferralSources";
                """);
            migrationBuilder.Sql("""
                CREATE VIRTUAL TABLE "SourceSearch" USING fts5("Name", "Npi", "PracticeName",
                    content='SourceSearchText', content_rowid='Id', tokenize='trigram');
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "SourceSearch_Insert" AFTER INSERT ON "ReferralSources" BEGIN
                    INSERT INTO "SourceSearch" (rowid, "Name", "Npi", "PracticeName")
                    VALUES (new."Id", COALESCE(new."FirstName", '') || ' ' || new."LastName", new."Npi", new."PracticeName");
                END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "SourceSearch_Delete" AFTER DELETE ON "ReferralSources" BEGIN
                    INSERT INTO "SourceSearch" ("SourceSearch", rowid, "Name", "Npi", "PracticeName")
                    VALUES ('delete', old."Id", COALESCE(old."FirstName", '') || ' ' || old."LastName", old."Npi", old."PracticeName");
                END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "SourceSearch_Update" AFTER UPDATE OF "FirstName", "LastName", "Npi", "PracticeName" ON "ReferralSources" BEGIN
                    INSERT INTO "SourceSearch" ("SourceSearch", rowid, "Name", "Npi", "PracticeName")
                    VALUES ('delete', old."Id", COALESCE(old."FirstName", '') || ' ' || old."LastName", old."Npi", old."PracticeName");
                    INSERT INTO "SourceSearch" (rowid, "Name", "Npi", "PracticeName")
                    VALUES (new."Id", COALESCE(new."FirstName", '') || ' ' || new."LastName", new."Npi", new."PracticeName");
                END;
                """);
            migrationBuilder.Sql("""INSERT INTO "SourceSearch" ("SourceSearch") VALUES ('rebuild');""");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""DROP TRIGGER "SourceSearch_Update";""");
            migrationBuilder.Sql("""DROP TRIGGER "SourceSearch_Delete";""");
            migrationBuilder.Sql("""DROP TRIGGER "SourceSearch_Insert";""");
            migrationBuilder.Sql("""DROP TABLE "SourceSearch";""");
            migrationBuilder.Sql("""DROP VIEW "SourceSearchText";""");

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
