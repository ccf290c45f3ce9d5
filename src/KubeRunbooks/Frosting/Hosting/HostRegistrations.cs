using Cake.Core.IO;

namespace KubeRunbooks.Frosting.Hosting;

/// <summary>The working directory set by <c>UseWorkingDirectory</c>; <c>--working</c> wins over it.</summary>
internal sealed record WorkingDirectorySetting(DirectoryPath Path);

/// <summary>A Cake setting default from <c>UseCakeSetting</c>, the lowest level of Cake's precedence.</summary>
internal sealed record CakeSettingDefault(string Key, string Value);

/// <summary>A tool to install before a normal run (<c>InstallTool</c> / <c>UseTool</c>).</summary>
internal sealed record ToolInstallation(Uri Uri);
