namespace Cake.Frosting;

/// <summary>Gives a task class its task name; without it the class name is the task name.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class TaskNameAttribute : Attribute
{
    /// <summary>Creates the attribute.</summary>
    /// <param name="name">The task name, looked up without regard to case.</param>
    public TaskNameAttribute(string name) => Name = name;

    /// <summary>The task name.</summary>
    public string Name { get; }
}

/// <summary>The description shown by <c>--description</c>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class TaskDescriptionAttribute : Attribute
{
    /// <summary>Creates the attribute.</summary>
    /// <param name="description">The task description.</param>
    public TaskDescriptionAttribute(string description) => Description = description;

    /// <summary>The task description.</summary>
    public string Description { get; }
}

/// <summary>The task runs after the task class <see cref="Task"/>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class IsDependentOnAttribute : Attribute
{
    /// <summary>Creates the attribute.</summary>
    /// <param name="task">A task class implementing <see cref="IFrostingTask"/>.</param>
    public IsDependentOnAttribute(Type task) => Task = task;

    /// <summary>The task class this task depends on.</summary>
    public Type Task { get; }
}

/// <summary>The task class <see cref="Task"/> runs after this task (the reverse of <see cref="IsDependentOnAttribute"/>).</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class IsDependeeOfAttribute : Attribute
{
    /// <summary>Creates the attribute.</summary>
    /// <param name="task">A task class implementing <see cref="IFrostingTask"/>.</param>
    public IsDependeeOfAttribute(Type task) => Task = task;

    /// <summary>The task class that depends on this task.</summary>
    public Type Task { get; }
}

/// <summary>A failure of this task is reported but does not stop the run.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class ContinueOnErrorAttribute : Attribute
{
}
