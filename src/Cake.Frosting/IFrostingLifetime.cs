namespace Cake.Frosting;

/// <summary>Both <see cref="IFrostingSetup"/> and <see cref="IFrostingTeardown"/>.</summary>
public interface IFrostingLifetime : IFrostingSetup, IFrostingTeardown
{
}
