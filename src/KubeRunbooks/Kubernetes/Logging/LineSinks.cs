using Cake.Core.Diagnostics;

namespace KubeRunbooks.Kubernetes.Logging;

/// <summary>Adapts Cake's log to the <c>Action&lt;string&gt;</c> line sinks the Kubernetes capabilities take.</summary>
public static class LineSinks
{
    /// <summary>Writes each line to the Cake log at the given verbosity; braces are passed as data, not as a format.</summary>
    /// <param name="log">Cake's log (in a task: <c>context.Log</c>).</param>
    /// <param name="verbosity">The verbosity; Normal by default.</param>
    /// <returns>The sink.</returns>
    public static Action<string> ToCakeLog(ICakeLog log, Verbosity verbosity = Verbosity.Normal) =>
        line => log.Write(verbosity, LogLevel.Information, "{0}", line);

    /// <summary>Prefixes every line, e.g. with the pod name for a followed log.</summary>
    public static Action<string> Prefixed(Action<string> sink, string prefix) => line => sink(prefix + line);
}
