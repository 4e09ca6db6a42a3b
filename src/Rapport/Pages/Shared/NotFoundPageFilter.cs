using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Rapport.Common;

namespace Rapport.Pages.Shared;

/// <summary>
/// A page handler whose service says the id names no row of this practice (missing, or another practice's)
/// answers 404, as the API does, instead of the 500 an uncaught <see cref="NotFoundException"/> would give.
/// One filter rather than a catch in every handler, so a new handler cannot forget it.
/// </summary>
public sealed class NotFoundPageFilter : IAsyncPageFilter
{
    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var executed = await next();
        if (executed.Exception is NotFoundException && !executed.ExceptionHandled)
        {
            executed.Result = new NotFoundResult();
            executed.ExceptionHandled = true;
        }
    }
}
