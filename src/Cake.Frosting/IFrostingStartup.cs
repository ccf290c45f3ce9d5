using Microsoft.Extensions.DependencyInjection;

namespace Cake.Frosting;

/// <summary>Configures the host's services (used by <c>UseStartup&lt;T&gt;()</c>).</summary>
public interface IFrostingStartup
{
    /// <summary>Adds or replaces services.</summary>
    void Configure(IServiceCollection services);
}
