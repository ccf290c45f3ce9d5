namespace KubeRunbooks.Runbooks;

/// <summary>The exact command line a message tells the operator to run (a rerun to resume, a rollback).</summary>
public static class RunbookCommand
{
    /// <summary><c>./build.sh --target=T --cluster=C [--name=value ...]</c>; arguments with a null value are left out.</summary>
    public static string Text(string target, string cluster, params IEnumerable<(string Name, string? Value)> arguments) =>
        $"./build.sh --target={target} --cluster={cluster}" + string.Concat(arguments.Where(a => a.Value is not null).Select(a => $" --{a.Name}={a.Value}"));
}
