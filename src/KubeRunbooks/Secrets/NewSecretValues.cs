using System.Runtime.CompilerServices;
using KubeRunbooks.Runbooks;

namespace KubeRunbooks.Secrets;

/// <summary>
/// A new secret value read once per run: a plan is made again under the lock, and a target may need the same value in
/// several steps, but the operator is asked (or the file and variable read) only the first time.
/// </summary>
public static class NewSecretValues
{
    private static readonly ConditionalWeakTable<RunbookContext, Dictionary<SecretPrompt, string>> Read = new();

    /// <summary>The value for <paramref name="prompt"/> in this run (<see cref="SecretReader"/> the first time; masked from then on).</summary>
    public static string Of(RunbookContext context, SecretPrompt prompt)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(prompt);
        var values = Read.GetOrCreateValue(context);
        lock (values)
        {
            if (!values.TryGetValue(prompt, out var value))
                values[prompt] = value = SecretReader.For(context, context.Masker).Read(prompt);
            return value;
        }
    }
}
