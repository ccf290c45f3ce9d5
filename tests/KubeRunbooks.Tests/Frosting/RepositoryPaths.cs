namespace KubeRunbooks.Tests.Frosting;

/// <summary>Finds the repository checkout the tests were built from.</summary>
internal static class RepositoryPaths
{
    public static string Root
    {
        get
        {
            for (var folder = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); folder is not null; folder = folder.Parent)
            {
                if (File.Exists(Path.Combine(folder.FullName, "cake.config")) && File.Exists(Path.Combine(folder.FullName, "build", "Build.csproj")))
                {
                    return folder.FullName;
                }
            }

            throw new DirectoryNotFoundException("The repository root (cake.config next to build/Build.csproj) was not found above the test folder.");
        }
    }

    /// <summary>The built host program (build/bin/Debug/net10.0), else the copy next to the tests.</summary>
    public static string HostDll
    {
        get
        {
            var built = Path.Combine(Root, "build", "bin", "Debug", "net10.0", "KubeRunbooks.Build.dll");
            return File.Exists(built) ? built : Path.Combine(TestContext.CurrentContext.TestDirectory, "KubeRunbooks.Build.dll");
        }
    }
}
