using Cake.Core;
using Microsoft.Extensions.DependencyInjection;

namespace Cake.Frosting;

/// <summary>Marker for the context type given to <c>UseContext&lt;T&gt;()</c>.</summary>
public interface IFrostingContext : ICakeContext
{
}

/// <summary>The default context: Cake's context as is. Derive from it to add state for the tasks.</summary>
public class FrostingContext : CakeContextAdapter, IFrostingContext
{
    /// <summary>Creates the context around Cake's context.</summary>
    public FrostingContext(ICakeContext context) : base(context) { }
}

/// <summary>Configures the host's services (used by <c>UseStartup&lt;T&gt;()</c>).</summary>
public interface IFrostingStartup
{
    /// <summary>Adds or replaces services.</summary>
    void Configure(IServiceCollection services);
}
