using System.Text;
using System.Text.RegularExpressions;

namespace KubeRunbooks.Kubernetes.Exec;

/// <summary>
/// Puts secret values into an exec'd command's environment without them ever being in its argv (visible in
/// <c>/proc/PID/cmdline</c> on the node and in the API server's audit log): the command becomes
/// <c>sh -c 'IFS= read -r NAME &amp;&amp; export NAME &amp;&amp; … exec "$@"' kuberunbooks-env COMMAND…</c> and the values
/// are the first lines of its stdin. The shell reads stdin one byte at a time up to each newline, so whatever
/// follows (a restore's SQL) reaches the command untouched.
/// </summary>
public static partial class SecretEnvironment
{
    /// <summary>The <c>$0</c> of the wrapping shell, so a process listing shows what it is.</summary>
    public const string ShellName = "kuberunbooks-env";

    /// <summary>The command that reads <paramref name="names"/> from stdin, exports them and execs <paramref name="command"/>.</summary>
    /// <param name="command">The command to run with the variables set.</param>
    /// <param name="names">The variable names, in the order their values are sent.</param>
    /// <returns>The wrapped argv (names only, no values).</returns>
    public static IReadOnlyList<string> Wrap(IReadOnlyList<string> command, IEnumerable<string> names)
    {
        var script = new StringBuilder();
        foreach (var name in names)
        {
            if (!NamePattern().IsMatch(name))
                throw new ArgumentException($"'{name}' is not a valid environment variable name.", nameof(names));
            script.Append("IFS= read -r ").Append(name).Append(" && export ").Append(name).Append(" && ");
        }
        script.Append("exec \"$@\"");
        return ["sh", "-c", script.ToString(), ShellName, .. command];
    }

    /// <summary>The stdin prefix carrying the values, one line each, in the order of <paramref name="secrets"/>.</summary>
    /// <param name="secrets">Names and values.</param>
    /// <returns>UTF-8 bytes to send before the command's own stdin.</returns>
    public static byte[] Lines(IEnumerable<KeyValuePair<string, string>> secrets)
    {
        var text = new StringBuilder();
        foreach (var (name, value) in secrets)
        {
            // A newline would end the value early and feed the rest to the command: refuse it (the message names the variable only).
            if (value.Contains('\n', StringComparison.Ordinal) || value.Contains('\r', StringComparison.Ordinal) || value.Contains('\0', StringComparison.Ordinal))
                throw new ArgumentException($"The value of {name} contains a line break or NUL, which cannot be passed to a command's environment.", nameof(secrets));
            text.Append(value).Append('\n');
        }
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex NamePattern();
}
