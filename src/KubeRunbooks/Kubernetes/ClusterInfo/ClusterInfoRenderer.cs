namespace KubeRunbooks.Kubernetes.ClusterInfo;

/// <summary>Turns a <see cref="ClusterInfoReport"/> into the text lines the <c>ClusterInfo</c> target prints.</summary>
public static class ClusterInfoRenderer
{
    /// <summary>The report as lines, warnings first-class (prefixed <c>WARNING:</c>).</summary>
    public static IReadOnlyList<string> Render(ClusterInfoReport report)
    {
        var lines = new List<string>
        {
            $"Server version: {report.Server}",
            $"Client version: {report.Client?.ToString() ?? $"unknown ({report.ClientProblem})"}",
            $"Version skew:   {(report.SkewTooLarge ? "TOO LARGE" : report.Client is null ? "not checked" : "ok (kubectl within one minor of the server)")}",
        };
        lines.AddRange(report.Warnings.Select(w => $"WARNING: {w}"));
        lines.Add(report.Workloads.Count == 0 ? "Workloads: (the profile names none)" : "Workloads:");
        foreach (var w in report.Workloads)
        {
            var head = $"  {w.Namespace}/{w.Name} ({w.Kind})";
            switch (w.State)
            {
                case WorkloadPresence.Absent:
                    lines.Add($"{head}: absent (optional)");
                    continue;
                case WorkloadPresence.Missing:
                    lines.Add($"{head}: MISSING");
                    continue;
            }

            lines.Add($"{head}: {w.ReadyReplicas}/{w.DesiredReplicas} ready, normal {w.NormalReplicas}");
            lines.AddRange(w.Images.Select(i => $"    {(i.Init ? "init container" : "container")} {i.Container}: {i.Image}"));
            lines.AddRange(w.Pods.Select(p =>
                $"    pod {p.Name} on {p.Node ?? "(not scheduled)"}: {p.Phase}{(p.Ready ? ", ready" : ", not ready")}"));
        }

        return lines;
    }
}
