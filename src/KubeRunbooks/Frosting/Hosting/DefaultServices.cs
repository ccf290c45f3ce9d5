using Cake.Cli;
using Cake.Core;
using Cake.Core.Configuration;
using Cake.Core.Diagnostics;
using Cake.Core.IO;
using Cake.Core.Tooling;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Cake.Frosting;

namespace KubeRunbooks.Frosting.Hosting;

/// <summary>The services every host starts with: Cake's modules, diagnostics, context and configuration.</summary>
internal static class DefaultServices
{
    public static IServiceCollection Create()
    {
        var services = new ServiceCollection();
        Cake.Cli.ServiceCollectionExtensions.UseCakeDefaultModules(services);
        Cake.Cli.ServiceCollectionExtensions.AddCakeDiagnostics(services);

        // Cake's error lines are dropped once user code reported bad input or a held lock (one line on stderr).
        services.AddSingleton<ICakeLog>(provider => new UserErrorAwareLog(
            new CakeBuildLog(provider.GetRequiredService<IConsole>()), provider.GetRequiredService<RunState>()));

        services.TryAddSingleton<IConsole, CakeConsole>();
        services.TryAddSingleton<ICakeReportPrinter, CakeSpectreReportPrinter>();
        services.TryAddSingleton<IExecutionStrategy, DefaultExecutionStrategy>();
        services.TryAddSingleton<IRegistry, WindowsRegistry>();
        services.TryAddSingleton<IToolInstaller, ToolInstaller>();
        services.TryAddSingleton<IVersionResolver, VersionResolver>();
        services.TryAddSingleton<ICakeVersionFeature, VersionFeature>();
        services.TryAddSingleton<ICakeInfoFeature, InfoFeature>();
        services.AddSingleton<ICakeContext, CakeContext>();
        services.AddSingleton<ICakeConfiguration>(CreateConfiguration);

        services.AddSingleton<KubeRunbooks.Frosting.RunMode>();
        services.AddSingleton<FrostingContext>();
        services.AddSingleton<IFrostingContext>(provider => provider.GetRequiredService<FrostingContext>());
        return services;
    }

    /// <summary>
    /// Cake's precedence, lowest first: UseCakeSetting defaults, CAKE_SECTION_KEY environment
    /// variables, cake.config in the working directory, --section_key=value arguments.
    /// </summary>
    private static ICakeConfiguration CreateConfiguration(IServiceProvider provider)
    {
        var environment = provider.GetRequiredService<ICakeEnvironment>();
        var defaults = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var setting in provider.GetServices<CakeSettingDefault>())
        {
            defaults[setting.Key] = setting.Value;
        }

        var fromCommandLine = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, values) in provider.GetRequiredService<ICakeArguments>().GetArguments())
        {
            if (values.LastOrDefault(value => value is not null) is { } value)
            {
                fromCommandLine[key] = value;
            }
        }

        try
        {
            return new CakeConfigurationProvider(provider.GetRequiredService<IFileSystem>(), environment)
                .CreateConfiguration(environment.WorkingDirectory, defaults, fromCommandLine);
        }
        catch (Exception exception) when (exception is CakeException or InvalidOperationException or FormatException or IOException)
        {
            // Cake's INI parser: a malformed cake.config is the operator's to fix.
            var file = environment.WorkingDirectory.CombineWithFilePath("cake.config").FullPath;
            throw new KubeRunbooks.Errors.InvalidInputException($"{file} is malformed: {exception.Message}", exception);
        }
    }
}
