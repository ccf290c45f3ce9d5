using Cake.Core;
using Cake.Frosting;
using KubeRunbooks.Frosting;

namespace KubeRunbooks.Tests.Frosting.Scenarios.Arguments;

/// <summary>Writes what it sees in context.Arguments and context.Configuration into the journal.</summary>
public sealed class Default(Journal journal) : FrostingTask
{
    public override void Run(ICakeContext context)
    {
        foreach (var name in new[] { "cluster", "flag", "foo", "tag", "absent" })
        {
            var values = context.Arguments.HasArgument(name) ? string.Join(",", context.Arguments.GetArguments(name)) : "<none>";
            journal.Add($"{name}={values}");
        }

        journal.Add("Paths_Profiles=" + (context.Configuration.GetValue("Paths_Profiles") ?? "<none>"));
        journal.Add("profiles=" + ToolSettings.From(context.Configuration).ProfilesPath);
    }
}
