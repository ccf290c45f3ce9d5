using System.Diagnostics;

namespace KubeRunbooks.Tests.Databases;

/// <summary>The Exastro seed's own command, run with GNU sed: the reference the C# filter is compared with byte for byte.</summary>
public static class SedReference
{
    /// <summary>The seed's expression, exactly.</summary>
    public const string Expression = @"s/DEFINER[ ]*=[ ]*[^*]*\*/\*/";

    /// <summary>Runs <c>sed -e EXPRESSION</c> over the bytes (C locale: bytes, as the filter works) and returns its output.</summary>
    public static byte[] Run(byte[] input, string locale = "C")
    {
        var start = new ProcessStartInfo("sed") { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add("-e");
        start.ArgumentList.Add(Expression);
        start.Environment["LC_ALL"] = locale;
        using var process = Process.Start(start)!;
        var output = new MemoryStream();
        var reader = process.StandardOutput.BaseStream.CopyToAsync(output);
        process.StandardInput.BaseStream.Write(input);
        process.StandardInput.Close();
        reader.GetAwaiter().GetResult();
        process.WaitForExit();
        Assert.That(process.ExitCode, Is.EqualTo(0), "sed failed");
        return output.ToArray();
    }
}
