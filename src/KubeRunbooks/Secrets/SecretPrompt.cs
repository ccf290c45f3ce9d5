namespace KubeRunbooks.Secrets;

/// <summary>
/// One new secret value a runbook asks for: the prompt shown to the operator and the two non-interactive ways to give
/// it (an environment variable, a file named by a command-line option). Never the value itself on the command line.
/// </summary>
/// <param name="Label">The prompt's words, e.g. <c>DB Password</c> (the seed's).</param>
/// <param name="EnvironmentVariable">The variable that may hold the value, e.g. <c>KUBERUNBOOKS_DB_PASSWORD</c>.</param>
/// <param name="FileOption">The option naming a file that holds the value, e.g. <c>db-password-file</c> (<c>--db-password-file=PATH</c>).</param>
public sealed record SecretPrompt(string Label, string EnvironmentVariable, string FileOption)
{
    /// <summary>The option a careless operator might pass the value in: the file option without <c>-file</c>.</summary>
    public string ValueOption => FileOption.EndsWith("-file", StringComparison.Ordinal) ? FileOption[..^"-file".Length] : FileOption + "-value";
}
