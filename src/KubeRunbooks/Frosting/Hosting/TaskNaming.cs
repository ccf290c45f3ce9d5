using System.Reflection;
using Cake.Frosting;

namespace KubeRunbooks.Frosting.Hosting;

/// <summary>Frosting's naming rules for task classes.</summary>
internal static class TaskNaming
{
    /// <summary><c>[TaskName]</c>, else the class name as is.</summary>
    public static string NameOf(Type taskType)
        => taskType.GetCustomAttribute<TaskNameAttribute>()?.Name ?? taskType.Name;

    /// <summary>The context type a task expects: the generic argument of its Frosting base, else ICakeContext.</summary>
    public static Type ContextTypeOf(Type taskType)
    {
        for (var type = taskType; type is not null; type = type.BaseType)
        {
            if (type.IsGenericType)
            {
                var definition = type.GetGenericTypeDefinition();
                if (definition == typeof(FrostingTask<>) || definition == typeof(AsyncFrostingTask<>))
                {
                    return type.GetGenericArguments()[0];
                }
            }
        }

        return typeof(Cake.Core.ICakeContext);
    }

    /// <summary>
    /// Whether the task class overrides <paramref name="method"/> of its Frosting base (a class that
    /// implements <see cref="IFrostingTask"/> directly counts as overriding everything).
    /// </summary>
    public static bool Overrides(Type taskType, string method)
    {
        var contextType = ContextTypeOf(taskType);
        if (!HasFrostingBase(taskType))
        {
            return true;
        }

        Type[] parameters = method == nameof(IFrostingTask.OnError) ? [typeof(Exception), contextType] : [contextType];
        var found = taskType.GetMethod(method, BindingFlags.Public | BindingFlags.Instance, parameters);
        return found?.DeclaringType is { } declaring && !IsFrostingBase(declaring);
    }

    private static bool HasFrostingBase(Type taskType)
    {
        for (var type = taskType; type is not null; type = type.BaseType)
        {
            if (IsFrostingBase(type))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsFrostingBase(Type type)
    {
        if (!type.IsGenericType)
        {
            return false;
        }

        var definition = type.GetGenericTypeDefinition();
        return definition == typeof(FrostingTask<>) || definition == typeof(AsyncFrostingTask<>);
    }
}
