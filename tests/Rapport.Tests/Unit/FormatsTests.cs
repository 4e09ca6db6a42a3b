using Rapport.Common;
using Rapport.Referrals;

namespace Rapport.Tests.Unit;

public sealed class FormatsTests
{
    // 1234567893 is the worked example of the CMS NPI check-digit specification. Base 123456789,
    // doubling every other digit from the right: 9→18→1+8=9, 7→14→5, 5→10→1, 3→6, 1→2 (sum 23);
    // the others 8+6+4+2 = 20; plus 24 for the 80840 prefix = 67; next multiple of ten 70 → check digit 3.
    [Theory]
    [InlineData("1234567893", true)]
    [InlineData("1234567890", false)]
    [InlineData("123456789", false)]
    [InlineData("12345678931", false)]
    [InlineData("12345678a3", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void Npi_check_digit_follows_the_Luhn_rule_with_the_80840_prefix(string? npi, bool valid) =>
        Assert.Equal(valid, Formats.IsValidNpi(npi));

    [Fact]
    public void Generated_npis_pass_the_check_and_a_changed_digit_fails()
    {
        var npi = Formats.NpiWithCheckDigit("987654321");
        Assert.True(Formats.IsValidNpi(npi));
        var tampered = npi[..9] + (char)('0' + (npi[9] - '0' + 1) % 10);
        Assert.False(Formats.IsValidNpi(tampered));
    }

    [Theory]
    [InlineData("(555) 123-4567", "(555) 123-4567")]
    [InlineData("555.123.4567", "(555) 123-4567")]
    [InlineData("1-555-123-4567", "(555) 123-4567")]
    [InlineData("555-1234", null)]
    [InlineData("call me", null)]
    public void Phone_numbers_normalize_to_ten_digits_or_are_rejected(string input, string? expected) =>
        Assert.Equal(expected, Formats.NormalizePhone(input));

    [Theory]
    [InlineData("a@b.co", true)]
    [InlineData("front.desk@clinic.example.org", true)]
    [InlineData("not-an-email", false)]
    [InlineData("a@b", false)]
    public void Email_format_is_checked(string email, bool valid) => Assert.Equal(valid, Formats.IsValidEmail(email));

    [Fact]
    public void Referral_status_is_the_furthest_step_its_dates_prove()
    {
        var d = new DateOnly(2026, 1, 5);
        Assert.Equal(ReferralStatus.Received, ReferralTimeline.StatusOf(null, null, null, null));
        Assert.Equal(ReferralStatus.Scheduled, ReferralTimeline.StatusOf(d, null, null, null));
        Assert.Equal(ReferralStatus.Evaluated, ReferralTimeline.StatusOf(d, d, null, null));
        Assert.Equal(ReferralStatus.Discharged, ReferralTimeline.StatusOf(d, d, d, null));
        Assert.Equal(ReferralStatus.Lost, ReferralTimeline.StatusOf(d, null, null, d));
    }
}
