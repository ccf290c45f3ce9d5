using System.Globalization;
using System.Text;
using KubeRunbooks.Simulator.Store;

namespace KubeRunbooks.Simulator.Api;

/// <summary>The opaque <c>continue</c> token of a paged list: the list's version and the last key returned.</summary>
internal static class ContinueToken
{
    public static string Write(long version, string lastKey) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"{version.ToString(CultureInfo.InvariantCulture)}|{lastKey}"));

    public static (long Version, string LastKey) Read(string token)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(token));
            var bar = text.IndexOf('|');
            if (bar > 0 && long.TryParse(text[..bar], NumberStyles.None, CultureInfo.InvariantCulture, out var version)) return (version, text[(bar + 1)..]);
        }
        catch (FormatException)
        {
            // Reported below as a real server reports a malformed token.
        }
        throw ApiError.BadRequest("continue key is not valid: illegal base64 data");
    }
}
