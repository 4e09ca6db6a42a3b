using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Rapport.Data;

namespace Rapport.Users;

public static class IdentitySetup
{
    /// <summary>Identity stores, password rules and account services, shared by the web app (which adds sign-in) and the CLI.</summary>
    public static IdentityBuilder AddRapportIdentityCore(this IServiceCollection services)
    {
        services.AddScoped<UserAccounts>();
        services.AddSingleton<SignInThrottle>();
        return services.AddIdentityCore<AppUser>(options =>
            {
                options.User.RequireUniqueEmail = true;
                // NIST SP 800-63B §5.1.1.2: length, no composition rules; the rest is PasswordRules.
                options.Password.RequiredLength = PasswordRules.MinimumLength;
                options.Password.RequiredUniqueChars = 1;
                options.Password.RequireNonAlphanumeric = false;
                options.Password.RequireUppercase = false;
                options.Password.RequireLowercase = false;
                options.Password.RequireDigit = false;
                options.Lockout.MaxFailedAccessAttempts = 10;
                options.Tokens.PasswordResetTokenProvider = ResetLinkTokenProvider.Name;
                options.Tokens.AuthenticatorTokenProvider = AuthenticatorCodeProvider.Name;
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<RapportDbContext>()
            .AddPasswordValidator<PasswordRules>()
            .AddTokenProvider<ResetLinkTokenProvider>(ResetLinkTokenProvider.Name)
            .AddTokenProvider<AuthenticatorCodeProvider>(AuthenticatorCodeProvider.Name);
    }
}
