using Cake.Core;

namespace Cake.Frosting;

/// <summary>Marker for the context type given to <c>UseContext&lt;T&gt;()</c>.</summary>
public interface IFrostingContext : ICakeContext
{
}
