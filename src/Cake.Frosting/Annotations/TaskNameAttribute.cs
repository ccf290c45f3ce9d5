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
