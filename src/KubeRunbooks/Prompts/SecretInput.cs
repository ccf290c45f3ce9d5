using Cake.Common;
using Cake.Common.Build;
using Cake.Core;
using KubeRunbooks.Errors;
using KubeRunbooks.Reporting;
using Spectre.Console;

namespace KubeRunbooks.Prompts;

/// <summary>
/// Reads a secret value a runbook needs (a new password, a key): from an environment variable, else from a hidden
/// prompt when a person is at the terminal. Unattended (on a CI runner, or with no terminal) nothing prompts: the
/// run ends with one <c>error:</c> line naming the variable to set (exit 2), before anything changed. The value is
/// registered with the secret masker before it is returned; it never travels as an argument.
/// </summary>
public static class SecretInput
{
    /// <summary>The value of <paramref name="variable"/>, else what a person types; throws when nobody can be asked.</summary>
    /// <param name="context">The run's context (environment, build system).</param>
    /// <param name="masker">Where the value is registered before anything could print it.</param>
    /// <param name="what">What the value is, as the prompt and the error name it (e.g. <c>the new database password</c>).</param>
    /// <param name="variable">The environment variable that supplies it unattended.</param>
    /// <exception cref="InvalidInputException">No variable and no one to ask, or an empty answer.</exception>
    public static string Read(ICakeContext context, SecretMasker masker, string what, string variable)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(masker);
        var value = context.EnvironmentVariable(variable);
        if (string.IsNullOrEmpty(value))
        {
            if (!CanPrompt(context))
            {
                var where = context.BuildSystem().IsLocalBuild ? "there is no terminal to ask" : "nothing prompts on a CI runner";
                throw new InvalidInputException($"{what} is needed and {where}: set the environment variable {variable}");
            }

            value = AnsiConsole.Prompt(new TextPrompt<string>($"{what}:").Secret().AllowEmpty());
            if (string.IsNullOrEmpty(value))
            {
                throw new InvalidInputException($"{what} is needed: type it, or set the environment variable {variable}");
            }
        }

        masker.Register(value);
        return value;
    }

    /// <summary>True when a person can be asked: not on a CI runner, and the input is a terminal.</summary>
    public static bool CanPrompt(ICakeContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.BuildSystem().IsLocalBuild && !Console.IsInputRedirected;
    }
}
