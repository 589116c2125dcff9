namespace Inference.Host.Tests.Infrastructure;

/// <summary>Folders of the source checkout the tests run from.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Runtime.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("Runtime.sln not found above " + AppContext.BaseDirectory);
    }
}
