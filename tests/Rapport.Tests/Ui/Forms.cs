using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using Rapport.Tests.Infrastructure;

namespace Rapport.Tests.Ui;

/// <summary>Posting forms the way a browser does: antiforgery token from a page, fields by name.</summary>
internal static class Forms
{
    public static async Task<HttpResponseMessage> PostAsync(HttpClient client, string url, IDictionary<string, string> fields, string? tokenFrom = null)
    {
        var page = await client.GetStringAsync(tokenFrom ?? url, TestContext.Current.CancellationToken);
        var form = new Dictionary<string, string>(fields) { ["__RequestVerificationToken"] = RapportApp.AntiforgeryToken(page) };
        return await client.PostAsync(url, new FormUrlEncodedContent(form), TestContext.Current.CancellationToken);
    }

    public static async Task<IHtmlDocument> ParseAsync(HttpResponseMessage response) =>
        new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
}
