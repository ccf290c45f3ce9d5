using System.Reflection;
using Cake.Core;
using Cake.Frosting;

namespace KubeRunbooks.Frosting.Hosting;

/// <summary>
/// Registers Frosting task objects into Cake's engine. Ordering, criteria, error handling,
/// Finally and the report stay Cake's; this only translates classes and attributes.
/// </summary>
internal static class TaskRegistrar
{
    /// <summary>Registers every task; returns the tasks by their registered name.</summary>
    /// <exception cref="FrostingException">A duplicate name or a dependency that is not a task.</exception>
    public static IReadOnlyDictionary<string, IFrostingTask> Register(
        ICakeEngine engine, IEnumerable<IFrostingTask> tasks, RunState state)
    {
        var byName = new Dictionary<string, IFrostingTask>(StringComparer.OrdinalIgnoreCase);
        foreach (var task in tasks)
        {
            var type = task.GetType();
            var name = TaskNaming.NameOf(type);
            if (!byName.TryAdd(name, task))
            {
                throw new FrostingException($"Another task with the name '{name}' has already been added.");
            }

            var builder = engine.RegisterTask(name);
            var description = type.GetCustomAttribute<TaskDescriptionAttribute>()?.Description;
            if (!string.IsNullOrEmpty(description))
            {
                builder.Description(description);
            }

            var contextType = TaskNaming.ContextTypeOf(type);
            if (contextType != typeof(ICakeContext))
            {
                // Frosting skips a task whose context type the run does not provide.
                builder.WithCriteria(
                    context => contextType.IsInstanceOfType(context),
                    $"Task '{name}' needs a context of type {contextType.Name}.");
            }

            builder.Does(async context =>
            {
                try
                {
                    await task.RunAsync(context).ConfigureAwait(false);
                }
                catch (Exception exception)
                {
                    state.RecordFailure(name, exception);
                    throw;
                }
            });

            if (TaskNaming.Overrides(type, nameof(IFrostingTask.ShouldRun)))
            {
                var message = task.SkippedMessage;
                if (string.IsNullOrEmpty(message))
                {
                    builder.WithCriteria(context => task.ShouldRun(context));
                }
                else
                {
                    builder.WithCriteria(context => task.ShouldRun(context), message);
                }
            }

            if (TaskNaming.Overrides(type, nameof(IFrostingTask.OnError)))
            {
                builder.OnError((exception, context) => task.OnError(exception, context));
            }

            if (TaskNaming.Overrides(type, nameof(IFrostingTask.Finally)))
            {
                builder.Finally(context => task.Finally(context));
            }

            if (type.IsDefined(typeof(ContinueOnErrorAttribute)))
            {
                builder.ContinueOnError();
            }

            foreach (var dependency in type.GetCustomAttributes<IsDependentOnAttribute>())
            {
                builder.IsDependentOn(DependencyName(dependency.Task));
            }

            foreach (var dependee in type.GetCustomAttributes<IsDependeeOfAttribute>())
            {
                builder.IsDependeeOf(DependencyName(dependee.Task));
            }
        }

        return byName;
    }

    private static string DependencyName(Type dependency)
    {
        if (!typeof(IFrostingTask).IsAssignableFrom(dependency))
        {
            throw new FrostingException($"The dependency '{dependency.Name}' is not a valid task.");
        }

        return TaskNaming.NameOf(dependency);
    }
}
