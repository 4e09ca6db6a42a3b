using System.Globalization;

namespace Rapport.Health;

/// <summary>
/// How a p-value is written wherever staff read it (alert sentences, and through them the pages,
/// the API's <c>reasons</c>, the CLI, the CSV and the digest e-mail). Alerts show the
/// Benjamini–Hochberg adjusted value, the one the decision uses, and say so: a bare "p" next to a
/// raw p-value of 0.008 in the JSON reads as a contradiction.
/// </summary>
public static class PValueText
{
    /// <summary>"p &lt; 0.001" below a thousandth (more digits promise precision the normal approximation lacks), three decimals below 0.01, else two.</summary>
    public static string Format(double p) =>
        p < 0.001 ? "p < 0.001"
        : p < 0.01 ? "p = " + p.ToString("0.000", CultureInfo.InvariantCulture)
        : "p = " + p.ToString("0.00", CultureInfo.InvariantCulture);

    /// <summary>A p-value adjusted for testing many sources at once, labelled so: "adjusted p = 0.03".</summary>
    public static string Adjusted(double p) => "adjusted " + Format(p);
}
