namespace KubeRunbooks.Simulator.Runtime;

/// <summary>
/// Gives an exec with <c>tty=true</c> a terminal: the command runs under util-linux's
/// <c>script</c> (package bsdutils, essential on Debian), which allocates a pseudo-terminal,
/// copies stdin to it and its output to stdout (stdout and stderr merged, as a kubelet does for a
/// tty), and exits with the command's code. Chosen over an <c>openpty</c> P/Invoke because it
/// needs no native code and keeps working when the runtime launches processes in a sandbox.
/// </summary>
internal static class TerminalCommand
{
    /// <summary>The program that provides the terminal.</summary>
    public const string Script = "script";

    /// <summary><c>script -q -e -f -c 'ARGV...' /dev/null</c>: quiet, the command's exit code, flushed output, no typescript file.</summary>
    public static IReadOnlyList<string> Wrap(IReadOnlyList<string> argv) =>
        [Script, "-q", "-e", "-f", "-c", string.Join(' ', argv.Select(Quote)), "/dev/null"];

    /// <summary>One word for sh: single-quoted, with embedded single quotes closed, escaped and reopened.</summary>
    public static string Quote(string word) => "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
