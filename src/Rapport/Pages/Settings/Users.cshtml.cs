using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Rapport.Common;
using Rapport.Pages.Shared;
using Rapport.Users;

namespace Rapport.Pages.Settings;

public sealed class NewUserInput
{
    public string? Email { get; set; }
    public string? DisplayName { get; set; }
    public string? Credentials { get; set; }
    public string? Role { get; set; }
    public string? Password { get; set; }
}

public sealed class EditUserInput
{
    public string? UserId { get; set; }
    public string? DisplayName { get; set; }
    public string? Credentials { get; set; }
}

[Authorize(Roles = Roles.Admin + "," + Roles.Manager)]
public sealed class UsersModel(UserDirectory users, UserAccounts accounts, SignInManager<AppUser> signIn, Liaison.LiaisonWeekService week) : PageModel
{
    /// <summary>Each user's role and state (active, two-step sign-in), by user id.</summary>
    public Dictionary<string, AccountState> Accounts { get; private set; } = [];
    public bool TwoStepRequiredForAdmins { get; private set; }
    /// <summary>Weekly touch goals by user id (those with one); shown to each liaison on the call list.</summary>
    public Dictionary<string, int> Goals { get; private set; } = [];
    /// <summary>Why a goal was refused.</summary>
    public string? GoalError { get; private set; }
    /// <summary>Why an account action (deactivate, role, reset link) was refused.</summary>
    public string? AccountError { get; private set; }
    public bool IsAdmin => User.IsInRole(Roles.Admin);
    public string? MyId => User.FindFirstValue(ClaimTypes.NameIdentifier);

    [BindProperty] public NewUserInput Input { get; set; } = new() { Role = Roles.Liaison };
    [BindProperty] public EditUserInput Edit { get; set; } = new();
    public List<UserSummary> Users { get; private set; } = [];

    /// <summary>The user whose name and credentials are being edited (from ?edit=id), if any.</summary>
    [BindProperty(SupportsGet = true, Name = "edit")] public string? EditId { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        if (EditId is not null)
        {
            if (Users.FirstOrDefault(u => u.Id == EditId) is not { } editing)
            {
                return NotFound();
            }
            Edit = new EditUserInput { UserId = editing.Id, DisplayName = editing.DisplayName, Credentials = editing.Credentials };
        }
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        try
        {
            // Managers may add staff but not administrators: otherwise a manager could make an
            // account with more rights than their own (OWASP ASVS 4.0.3 §4.1.3, least privilege).
            if (!IsAdmin && Roles.Normalize(Input.Role) == Roles.Admin)
            {
                throw new ValidationException("role", "Only an administrator can add another administrator.");
            }
            var user = await users.AddAsync(Input.Email?.Trim() ?? "", Input.Password ?? "", Input.Role ?? "", Input.DisplayName, Input.Credentials);
            TempData["Notice"] = $"Added {UserNames.Display(user.DisplayName, user.Email)}. Give them their password in person or by phone.";
            return Redirect("/Settings/Users");
        }
        catch (ValidationException e)
        {
            ModelState.AddErrors(e);
        }
        Input.Password = null;
        await LoadAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostProfileAsync(CancellationToken cancellationToken)
    {
        EditId = Edit.UserId;
        try
        {
            var saved = await users.UpdateProfileAsync(Edit.UserId ?? "", new UserProfileInput(Edit.DisplayName, Edit.Credentials), cancellationToken);
            if (await signIn.UserManager.GetUserAsync(User) is { } me && me.Id == saved.Id)
            {
                await signIn.RefreshSignInAsync(saved);
            }
            TempData["Notice"] = $"Saved {UserNames.Signature(saved.DisplayName, saved.Credentials, saved.Email)}.";
            return Redirect("/Settings/Users");
        }
        catch (NotFoundException)
        {
            return NotFound();
        }
        catch (ValidationException e)
        {
            ModelState.AddErrors(e, "Edit");
        }
        await LoadAsync(cancellationToken);
        return Page();
    }

    /// <summary>Saves the weekly touch goals (admins and managers, like this page): a blank or 0 clears one.</summary>
    public async Task<IActionResult> OnPostGoalsAsync(Dictionary<string, int?>? goals, CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        try
        {
            foreach (var (userId, goal) in goals ?? [])
            {
                if (Goals.GetValueOrDefault(userId) != (goal ?? 0))
                {
                    await week.SetGoalAsync(userId, goal, cancellationToken);
                }
            }
            TempData["Notice"] = "Weekly touch goals saved.";
            return Redirect("/Settings/Users#goals");
        }
        catch (NotFoundException)
        {
            return NotFound();
        }
        catch (ValidationException e)
        {
            GoalError = string.Join(" ", e.Errors.SelectMany(x => x.Value));
        }
        await LoadAsync(cancellationToken);
        return Page();
    }

    // Account actions are for administrators only: a manager who could change roles could make themselves one.

    public Task<IActionResult> OnPostDisableAsync(string userId, CancellationToken cancellationToken) =>
        AdminActionAsync(async () => $"Deactivated {(await accounts.DisableAsync(userId, MyId, cancellationToken)).Email}; their sessions have ended.", cancellationToken);

    public Task<IActionResult> OnPostEnableAsync(string userId, CancellationToken cancellationToken) =>
        AdminActionAsync(async () => $"Reactivated {(await accounts.EnableAsync(userId, cancellationToken)).Email}.", cancellationToken);

    public Task<IActionResult> OnPostRoleAsync(string userId, string role, CancellationToken cancellationToken) =>
        AdminActionAsync(async () => $"{(await accounts.SetRoleAsync(userId, role, cancellationToken)).Email} is now {Display.Words(Roles.Normalize(role) ?? role)}.", cancellationToken);

    public Task<IActionResult> OnPostResetAsync(string userId, CancellationToken cancellationToken) =>
        AdminActionAsync(async () =>
        {
            await accounts.SendResetLinkAsync(userId, cancellationToken);
            return "Reset link e-mailed. It works once, for 24 hours; Settings → E-mail outbox shows its delivery.";
        }, cancellationToken);

    public Task<IActionResult> OnPostTwoStepPolicyAsync(bool required, CancellationToken cancellationToken) =>
        AdminActionAsync(async () =>
        {
            await accounts.SetTwoStepRequiredForAdminsAsync(required, cancellationToken);
            return required ? "Administrators must now use two-step sign-in; those without it set it up at their next page." : "Two-step sign-in is now optional for administrators.";
        }, cancellationToken);

    private async Task<IActionResult> AdminActionAsync(Func<Task<string>> action, CancellationToken cancellationToken)
    {
        if (!IsAdmin)
        {
            return Forbid();
        }
        try
        {
            TempData["Notice"] = await action();
            return Redirect("/Settings/Users");
        }
        catch (NotFoundException)
        {
            return NotFound();
        }
        catch (ValidationException e)
        {
            AccountError = string.Join(" ", e.Errors.SelectMany(x => x.Value));
        }
        await LoadAsync(cancellationToken);
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Users = await users.ListAsync(cancellationToken);
        Accounts = (await accounts.ListAsync(cancellationToken)).ToDictionary(a => a.Id, StringComparer.Ordinal);
        TwoStepRequiredForAdmins = await accounts.TwoStepRequiredForAdminsAsync(cancellationToken);
        Goals = await week.GoalsAsync(cancellationToken);
    }
}
