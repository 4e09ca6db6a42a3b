using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Rapport.ApiKeys;
using Rapport.Data;
using Rapport.Documents;
using Rapport.Email;
using Rapport.Exports;
using Rapport.Imports;
using Rapport.Organizations;
using Rapport.Outcomes;
using Rapport.Prospects;
using Rapport.Patients;
using Rapport.ReferBacks;
using Rapport.ReportCards;
using Rapport.Reports;
using Rapport.Referrals;
using Rapport.Sources;
using Rapport.Touchpoints;
using Rapport.Users;

namespace Rapport;

public static class RapportCore
{
    /// <summary>The feature services shared by the web app, the API and the CLI.</summary>
    public static IServiceCollection AddRapportCore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddRapportData(configuration);
        services.AddRapportDataProtection(configuration);
        services.AddRapportIdentityCore();
        services.AddScoped<Audit.AuditTrail>();
        services.AddScoped<Audit.PatientDataAudit>();
        services.AddScoped<OrganizationService>();
        services.AddScoped<UserDirectory>();
        services.AddScoped<StaffNames>();
        services.AddScoped<ApiKeyService>();
        services.AddScoped<SourceQueries>();
        services.AddScoped<SourceService>();
        services.AddRapportRegistryLookup();
        services.AddScoped<PatientService>();
        services.AddScoped<ReferralService>();
        services.AddScoped<ReferralQueueSettingsService>();
        services.AddScoped<ReferralQueue>();
        services.AddScoped<Exports.IListExport, ReferralQueueExport>();
        services.AddScoped<TouchpointService>();
        services.AddRapportImports();
        services.AddScoped<ReferBackService>();
        services.AddScoped<Demo.DemoSeeder>();
        services.AddRapportOutcomes();
        services.AddRapportEmail();
        services.AddRapportDocuments();
        services.AddRapportReportCards();
        services.AddRapportReports();
        services.AddScoped<Nps.SurveyInvitations>();
        services.AddScoped<Nps.SurveyResponses>();
        services.AddScoped<Nps.NpsResults>();
        services.AddScoped<Nps.DetractorFollowUps>();
        services.AddScoped<Nps.NpsImport>();
        services.AddScoped<Dashboard.DashboardRollups>();
        services.AddScoped<Sources.SourceListRanking>();
        services.AddScoped<Dashboard.DashboardService>();
        services.AddScoped<Health.HealthSnapshotReader>();
        services.AddScoped<Health.AlertService>();
        services.AddScoped<Health.CallListService>();
        services.AddScoped<Health.WeeklyDigest>();
        services.AddScoped<Tenancy.JobLeases>();
        services.AddSingleton<Common.PracticeReadCacheStore>();
        services.AddScoped<Common.PracticeReadCache>();
        services.AddScoped<Liaison.LiaisonWeekService>();
        services.AddScoped<Letters.LetterService>();
        services.AddSingleton<IOutboxDeliveryObserver, Letters.LetterDeliveryObserver>();
        foreach (var kind in Enum.GetValues<Letters.LetterKind>())
        {
            services.AddDocumentTemplateKind(Letters.LetterTemplates.TemplateKind(kind));
        }
        services.AddScoped<Letters.LetterTemplateStore>();
        services.AddSingleton<Letters.LetterDocuments>();
        services.AddRapportExports();
        services.AddRapportProspects();
        services.AddScoped<Campaigns.CampaignResultsService>();
        Channels.ChannelServices.AddRapportChannels(services);
        services.AddScoped<Campaigns.CampaignService>();
        services.AddScoped<Exports.IListExport, Campaigns.CampaignsExport>();
        services.AddScoped<Campaigns.CampaignSettingsService>();
        services.AddScoped<Registry.Nppes.NppesImporter>();
        services.AddOptions<Health.DigestOptions>().BindConfiguration(Health.DigestOptions.Section);
        return services;
    }
}
