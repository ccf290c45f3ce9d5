using System.Text.RegularExpressions;

namespace KubeRunbooks.Reporting.Pipelines;

/// <summary>An error or a warning for a runner's annotations, with the file and line it is about when the text names them.</summary>
/// <param name="IsError">True for an error, false for a warning.</param>
/// <param name="Message">The text, already masked.</param>
/// <param name="File">The file the text is about (from a leading <c>path:line:</c>), or null.</param>
/// <param name="Line">The line in <paramref name="File"/>, or null.</param>
public sealed partial record RunnerAnnotation(bool IsError, string Message, string? File = null, int? Line = null)
{
    /// <summary>
    /// An annotation from one message; a message that starts with <c>path:line:</c> (as a profile error does,
    /// <c>clusters/prod.yaml:12: ...</c>) points at that file and line.
    /// </summary>
    public static RunnerAnnotation From(bool isError, string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var text = message.Trim();
        var match = FileAndLine().Match(text);
        return match.Success
            ? new RunnerAnnotation(isError, text, match.Groups[1].Value, int.Parse(match.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture))
            : new RunnerAnnotation(isError, text);
    }

    [GeneratedRegex(@"^(?:error: )?([^\s:]+\.[A-Za-z0-9]+):(\d+):")]
    private static partial Regex FileAndLine();
}
