using System.Text;

namespace KubeRunbooks.Secrets;

/// <summary>
/// The process's terminal: the prompt on standard error (standard output may be a log), each key read with
/// <see cref="Console.ReadKey(bool)"/> intercepted, so the terminal echoes nothing; Backspace edits, Enter ends.
/// </summary>
public sealed class TerminalSecretConsole : ISecretConsole
{
    /// <inheritdoc />
    public bool IsInteractive => !Console.IsInputRedirected && !Console.IsErrorRedirected;

    /// <inheritdoc />
    public string? ReadHidden(string prompt)
    {
        Console.Error.Write(prompt);
        var value = new StringBuilder();
        try
        {
            while (true)
            {
                var key = Console.ReadKey(intercept: true);
                if (key.Key == ConsoleKey.Enter) break;
                if (key.Key == ConsoleKey.Backspace)
                {
                    if (value.Length > 0) value.Length--;
                    continue;
                }

                // Ctrl+D on an empty line: the operator gives up.
                if (key.Key == ConsoleKey.D && key.Modifiers.HasFlag(ConsoleModifiers.Control) && value.Length == 0) return null;
                if (key.KeyChar != '\0' && !char.IsControl(key.KeyChar)) value.Append(key.KeyChar);
            }
        }
        finally
        {
            Console.Error.WriteLine();
        }

        return value.ToString();
    }
}
