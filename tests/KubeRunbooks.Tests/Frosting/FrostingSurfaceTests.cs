using System.Reflection;
using Cake.Frosting;
using KubeRunbooks.Frosting;

namespace KubeRunbooks.Tests.Frosting;

/// <summary>
/// The Cake.Frosting project is a stand-in for the package: only the package's public names, in its namespace,
/// and nothing of ours, so that one PackageReference can replace it.
/// </summary>
public sealed class FrostingSurfaceTests
{
    // The public types of cake-build/cake src/Cake.Frosting (commit cc71d61, November 2025).
    private static readonly string[] PackageTypes =
    [
        "AsyncFrostingTask", "AsyncFrostingTask`1", "CakeHost", "CakeHostExtensions", "ContinueOnErrorAttribute",
        "FrostingContext", "FrostingException", "FrostingLifetime", "FrostingLifetime`1", "FrostingSetup",
        "FrostingSetup`1", "FrostingTask", "FrostingTask`1", "FrostingTaskLifetime", "FrostingTaskLifetime`1",
        "FrostingTaskSetup", "FrostingTaskSetup`1", "FrostingTaskTeardown", "FrostingTaskTeardown`1",
        "FrostingTeardown", "FrostingTeardown`1", "IFrostingContext", "IFrostingLifetime", "IFrostingSetup",
        "IFrostingStartup", "IFrostingTask", "IFrostingTaskLifetime", "IFrostingTaskSetup", "IFrostingTaskTeardown",
        "IFrostingTeardown", "IsDependeeOfAttribute", "IsDependentOnAttribute", "IToolInstaller",
        "ServiceCollectionExtensions", "TaskDescriptionAttribute", "TaskNameAttribute",
    ];

    // The package's ServiceCollectionExtensions methods.
    private static readonly string[] PackageServiceMethods =
    [
        "UseContext", "UseLifetime", "UseSetup", "UseTeardown", "UseTaskLifetime", "UseTaskSetup", "UseTaskTeardown",
        "UseModule", "UsePackageInstaller", "UseTool", "UseWorkingDirectory", "UseCakeSetting", "UseToolPath",
    ];

    private static readonly Assembly Surface = typeof(IFrostingTask).Assembly;

    [Test]
    public void The_surface_is_its_own_assembly_named_as_the_package()
    {
        Assert.That(Surface.GetName().Name, Is.EqualTo("Cake.Frosting"));
        Assert.That(Surface, Is.Not.SameAs(typeof(RunbookHost).Assembly));
    }

    [Test]
    public void Every_public_type_is_one_the_package_defines_in_its_namespace()
    {
        var exported = Surface.GetExportedTypes();

        Assert.That(exported, Is.Not.Empty);
        Assert.That(exported.Select(type => type.Namespace).Distinct(), Is.EqualTo(new[] { "Cake.Frosting" }));
        Assert.That(exported.Select(type => type.Name), Is.SubsetOf(PackageTypes));
    }

    [Test]
    public void Service_collection_methods_are_the_packages()
    {
        var methods = typeof(ServiceCollectionExtensions)
            .GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly)
            .Select(method => method.Name);

        Assert.That(methods, Is.SubsetOf(PackageServiceMethods));
    }

    [Test]
    public void The_surface_references_nothing_of_kube_runbooks()
    {
        var references = Surface.GetReferencedAssemblies().Select(name => name.Name);

        Assert.That(references, Has.None.StartsWith("KubeRunbooks"));
    }

    [Test]
    public void The_library_declares_no_type_in_the_frosting_namespace()
    {
        var libraries = new[] { typeof(RunbookHost).Assembly, typeof(KubeRunbooks.Tasks.Common.ClusterInfoTask).Assembly };

        var strays = libraries
            .SelectMany(assembly => assembly.GetTypes())
            .Where(type => type.Namespace is { } ns && ns.StartsWith("Cake.Frosting", StringComparison.Ordinal))
            .Select(type => type.FullName);

        Assert.That(strays, Is.Empty);
    }
}
