using Cake.Core;

namespace Cake.Frosting;

/// <summary>The default context: Cake's context as is. Derive from it to add state for the tasks.</summary>
public class FrostingContext : CakeContextAdapter, IFrostingContext
{
    /// <summary>Creates the context around Cake's context.</summary>
    public FrostingContext(ICakeContext context) : base(context) { }
}
