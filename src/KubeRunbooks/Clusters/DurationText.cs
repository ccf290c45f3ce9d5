using System.Globalization;
using System.Text.RegularExpressions;

namespace KubeRunbooks.Clusters;

/// <summary>
/// Durations as operators write them: Go style (<c>90s</c>, <c>10m</c>, <c>1h30m</c>) or .NET style
/// (<c>00:10:00</c>, <c>1.02:00:00</c>).
/// </summary>
public static partial class DurationText
{
    /// <summary>Parses a positive duration; returns <c>false</c> for anything else.</summary>
    public static bool TryParse(string text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        text = text.Trim();
        var go = GoDuration().Match(text);
        if (go.Success && go.Length > 0)
        {
            double Part(string name) => go.Groups[name].Success ? double.Parse(go.Groups[name].Value, CultureInfo.InvariantCulture) : 0;
            var seconds = Part("h") * 3600 + Part("m") * 60 + Part("s");
            if (seconds > TimeSpan.MaxValue.TotalSeconds / 2)
            {
                return false;
            }

            value = TimeSpan.FromSeconds(seconds);
        }
        else if (!text.Contains(':') || !TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out value))
        {
            return false;
        }

        return value > TimeSpan.Zero;
    }

    [GeneratedRegex(@"^(?:(?<h>\d+(?:\.\d+)?)h)?(?:(?<m>\d+(?:\.\d+)?)m)?(?:(?<s>\d+(?:\.\d+)?)s)?$")]
    private static partial Regex GoDuration();
}
