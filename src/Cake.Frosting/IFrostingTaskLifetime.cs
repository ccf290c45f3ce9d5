namespace Cake.Frosting;

/// <summary>Both <see cref="IFrostingTaskSetup"/> and <see cref="IFrostingTaskTeardown"/>.</summary>
public interface IFrostingTaskLifetime : IFrostingTaskSetup, IFrostingTaskTeardown
{
}
