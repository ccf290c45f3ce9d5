using Cake.Core.Diagnostics;
using k8s.Models;
using KubeRunbooks.Databases.Postgres;
using KubeRunbooks.Errors;
using KubeRunbooks.Kubernetes.Exec;
using KubeRunbooks.Kubernetes.Pods;
using KubeRunbooks.Kubernetes.Workloads;
using KubeRunbooks.Runbooks;
using KubeRunbooks.Secrets;

namespace KubeRunbooks.Tasks.Kamonohashi;

/// <summary>KAMONOHASHI's PostgreSQL as the profile names it: its workload, its pod template, a ready pod, its password.</summary>
internal static class KamonohashiDatabase
{
    /// <summary>The database workload.</summary>
    public static WorkloadRef WorkloadOf(KamonohashiSettings settings) =>
        new(settings.Database.Kind, settings.Namespace, settings.Database.Name);

    /// <summary>The database's pod template; a missing workload or container is invalid input (exit 2).</summary>
    public static async Task<V1PodTemplateSpec> RequireContainerAsync(RunbookContext context, KamonohashiSettings settings, CancellationToken cancellationToken)
    {
        var database = WorkloadOf(settings);
        var template = await new WorkloadPods(context.Kubernetes).TryGetTemplateAsync(database, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidInputException($"{database} does not exist on cluster '{context.Profile.Name}' (profile {context.Profile.SourcePath}, kamonohashi.databaseDeployment): it is the PostgreSQL database.");
        if (template.Spec.Containers.All(c => c.Name != settings.DatabaseContainer))
            throw new InvalidInputException($"{database} has no container '{settings.DatabaseContainer}' (kamonohashi.databaseContainer); its containers: {string.Join(", ", template.Spec.Containers.Select(c => c.Name))}.");
        return template;
    }

    /// <summary>The password in the database Secret (registered with the masker), or null when the Secret or key is absent.</summary>
    public static async Task<string?> ReadPasswordAsync(RunbookContext context, KamonohashiSettings settings, CancellationToken cancellationToken)
    {
        var secret = await new SecretWriter(context.Kubernetes).TryReadAsync(settings.Namespace, settings.DatabaseSecret, cancellationToken).ConfigureAwait(false);
        if (secret?.Data is null || !secret.Data.TryGetValue(settings.DatabasePasswordKey, out var bytes)) return null;
        var password = System.Text.Encoding.UTF8.GetString(bytes);
        context.Masker.Register(password);
        return password;
    }

    /// <summary>The server in a ready pod of the database; none ready is a failed step naming the workload.</summary>
    public static async Task<PostgresInPod> ReadyServerAsync(RunbookContext context, KamonohashiSettings settings, CancellationToken cancellationToken)
    {
        var database = WorkloadOf(settings);
        var workloads = new WorkloadOperations(context.Kubernetes);
        var state = await workloads.GetAsync(database, cancellationToken).ConfigureAwait(false);
        if (state.DesiredReplicas == 0)
            throw new StepFailedException($"{database} is scaled to 0: the database must run (an unfinished {KamonohashiTargets.PostgresRestore}? run it again to finish it).");
        if (state.ReadyReplicas == 0) // a cluster just started: its database comes up
        {
            context.Log.Information("{0}", $"Waiting up to {context.Profile.Timeouts.PodReady} for a ready pod of {database} ({state.Describe()}).");
            state = await workloads.WatchWorkloadAsync(database, s => s.ReadyReplicas > 0, $"a ready pod of {database}", context.Profile.Timeouts.PodReady, cancellationToken).ConfigureAwait(false);
        }
        var pod = await new WorkloadPods(context.Kubernetes).FindReadyAsync(state, cancellationToken).ConfigureAwait(false)
            ?? throw new StepFailedException($"No pod of {database} is ready ({state.Describe()}): the database must run.");
        var password = await ReadPasswordAsync(context, settings, cancellationToken).ConfigureAwait(false);
        return new PostgresInPod(new PodExec(context.Kubernetes), new PodContainer(settings.Namespace, pod, settings.DatabaseContainer), settings.DatabaseUser, password);
    }
}
