namespace Cake.Frosting;

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
