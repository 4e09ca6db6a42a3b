using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Rapport.Data;

namespace Rapport.Users;

public static class IdentitySetup
{
    /// <summary>Identity stores and password rules, shared by the web app (which adds sign-in) and the CLI.</summary>
    public static IdentityBuilder AddRapportIdentityCore(this IServiceCollection services) =>
        services.AddIdentityCore<AppUser>(options =>
            {
                options.User.RequireUniqueEmail = true;
                options.Password.RequiredLength = 10;
                options.Password.RequireNonAlphanumeric = false;
                options.Password.RequireUppercase = false;
                options.Lockout.MaxFailedAccessAttempts = 10;
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<RapportDbContext>();
}
