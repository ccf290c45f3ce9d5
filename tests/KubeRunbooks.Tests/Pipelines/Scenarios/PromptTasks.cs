using Cake.Core;
using Cake.Frosting;
using KubeRunbooks.Secrets;
using KubeRunbooks.Reporting;
using KubeRunbooks.Tests.Frosting;

// A task that needs a secret value, as a credential rotation does.
namespace KubeRunbooks.Tests.Pipelines.Scenarios.Prompts;

/// <summary>Reads the variable named by --variable and records the value as the masker shows it.</summary>
public sealed class Default(Journal journal) : FrostingTask
{
    public override void Run(ICakeContext context)
    {
        var masker = new SecretMasker();
        var prompt = new SecretPrompt("the new database password", context.Arguments.GetArguments("variable").Single(), "password-file");
        var value = SecretReader.For(context, masker).Read(prompt);
        journal.Add($"read {value.Length} characters, logged as {masker.Mask("password=" + value)}");
    }
}
