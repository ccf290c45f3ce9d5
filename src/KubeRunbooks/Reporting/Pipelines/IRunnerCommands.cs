namespace KubeRunbooks.Reporting.Pipelines;

/// <summary>What a run tells the CI runner it runs on, in the runner's own log commands.</summary>
public interface IRunnerCommands
{
    /// <summary>The runner's name as shown to people (<c>GitHub Actions</c>, <c>Azure Pipelines</c>).</summary>
    string Name { get; }

    /// <summary>Opens a collapsible log group (<c>::group::</c>, <c>##[group]</c>).</summary>
    void StartGroup(string title);

    /// <summary>Closes the open log group.</summary>
    void EndGroup();

    /// <summary>Writes an error or a warning as an annotation, pointing at a file and line when known.</summary>
    void Annotate(RunnerAnnotation annotation);

    /// <summary>Asks the runner to hide a secret value in its own log.</summary>
    void Mask(string secret);

    /// <summary>Shows a Markdown file as the step summary (GitHub) or the uploaded task summary (Azure).</summary>
    void PublishSummary(string markdownPath);
}
