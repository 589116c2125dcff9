using System.Reflection;
using System.Runtime.Loader;

namespace Inference.Plugins.Managed;

/// <summary>
/// A collectible load context for one plugin: its own assemblies and their dependencies resolve from
/// the plugin's folder (through its .deps.json), while the SDK comes from the host, so that the plugin's
/// <c>IEnginePlugin</c> is the host's type. Unloading it frees the plugin once nothing references it.
/// </summary>
internal sealed class PluginLoadContext(string mainAssemblyPath) : AssemblyLoadContext($"plugin:{Path.GetFileNameWithoutExtension(mainAssemblyPath)}", isCollectible: true)
{
    private static readonly string SdkName = typeof(Sdk.IEnginePlugin).Assembly.GetName().Name!;

    private readonly AssemblyDependencyResolver resolver = new(mainAssemblyPath);

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        if (assemblyName.Name == SdkName)
        {
            return null; // the host's copy, shared
        }

        var path = resolver.ResolveAssemblyToPath(assemblyName);
        return path is null ? null : LoadFromAssemblyPath(path);
    }

    protected override nint LoadUnmanagedDll(string unmanagedDllName)
    {
        var path = resolver.ResolveUnmanagedDllToPath(unmanagedDllName);
        return path is null ? 0 : LoadUnmanagedDllFromPath(path);
    }
}
