namespace KubeRunbooks.Secrets;

/// <summary>The terminal a secret is typed on, without echo. Injected so that tests drive it.</summary>
public interface ISecretConsole
{
    /// <summary>True when an operator can answer a prompt (input and prompt output are a terminal).</summary>
    bool IsInteractive { get; }

    /// <summary>Shows <paramref name="prompt"/> and reads one line without echoing it; null when the input ended.</summary>
    string? ReadHidden(string prompt);
}
