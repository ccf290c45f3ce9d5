namespace KubeRunbooks.Reporting;

/// <summary>
/// Keeps the secret values a run has seen (passwords read from prompts, tokens, generated keys) and
/// replaces them in any text before it reaches a log or report. Register a value as soon as it is read.
/// Thread-safe.
/// </summary>
public sealed class SecretMasker
{
    /// <summary>What a secret is replaced with.</summary>
    public const string Placeholder = "***";

    private static readonly string[] SecretWords =
        ["password", "passwd", "pwd", "token", "secret", "key", "credential", "auth", "cert", "private", "apikey"];

    private readonly object _gate = new();
    private string[] _values = [];

    /// <summary>
    /// Raised once for each new secret value, so that a CI runner can be told to mask it in its own
    /// log too (GitHub Actions' add-mask, Azure Pipelines' secret variables).
    /// </summary>
    public event Action<string>? Registered;

    /// <summary>Adds a value to mask. Empty or whitespace-only values are ignored (they would mask every text).</summary>
    public void Register(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return;
        }

        lock (_gate)
        {
            if (_values.Contains(value, StringComparer.Ordinal))
            {
                return;
            }

            // Longest first, so a secret containing another is replaced whole.
            _values = [.. _values.Append(value).OrderByDescending(v => v.Length)];
        }

        Registered?.Invoke(value);
    }

    /// <summary>The text with every registered value replaced by <see cref="Placeholder"/>; <c>null</c> stays <c>null</c>.</summary>
    public string? Mask(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text;
        }

        foreach (var value in Volatile.Read(ref _values))
        {
            text = text.Replace(value, Placeholder, StringComparison.Ordinal);
        }

        return text;
    }

    /// <summary>
    /// Whether an argument or fact name suggests a secret value (password, token, secret, key...):
    /// such values are never written, whatever they are.
    /// </summary>
    public static bool IsSecretName(string name) =>
        SecretWords.Any(word => name.Contains(word, StringComparison.OrdinalIgnoreCase));

    /// <summary>The value masked, or <see cref="Placeholder"/> entirely when <paramref name="name"/> names a secret.</summary>
    public string MaskNamed(string name, string? value) => IsSecretName(name) ? Placeholder : Mask(value) ?? "";
}
