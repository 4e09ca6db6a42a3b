using Rapport.Health;

namespace Rapport.Tests.Health;

public sealed class PValueTextTests
{
    [Theory]
    [InlineData(0.0004, "p < 0.001")]
    [InlineData(0.0000001, "p < 0.001")]
    [InlineData(0.001, "p = 0.001")]
    [InlineData(0.008, "p = 0.008")]
    [InlineData(0.0312, "p = 0.03")]
    [InlineData(0.11, "p = 0.11")]
    [InlineData(1, "p = 1.00")]
    public void P_values_are_written_one_way(double p, string expected) => Assert.Equal(expected, PValueText.Format(p));

    [Theory]
    [InlineData(0.0004, "adjusted p < 0.001")]
    [InlineData(0.0312, "adjusted p = 0.03")]
    [InlineData(0.11, "adjusted p = 0.11")]
    public void Adjusted_p_values_say_so(double p, string expected) => Assert.Equal(expected, PValueText.Adjusted(p));

    [Fact]
    public void A_tiny_p_value_is_never_written_equals_less_than()
    {
        for (var p = 1e-9; p < 1; p *= 1.7)
        {
            Assert.DoesNotContain("= <", PValueText.Adjusted(p), StringComparison.Ordinal);
        }
    }
}
