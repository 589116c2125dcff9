using System.Reflection;
using System.Runtime.CompilerServices;
using Inference.Plugins.Sdk;

namespace Inference.Plugins.Managed;

/// <summary>
/// A managed plugin loaded in its own collectible context. <see cref="UnloadAsync"/> shuts it down and
/// unloads the context; the returned weak reference lets a caller (or a test) see it collected.
/// </summary>
public sealed class ManagedPlugin
{
    private readonly Type type;
    private PluginLoadContext? context;
    private IEnginePlugin? instance;

    private ManagedPlugin(PluginLoadContext context, Type type, IEnginePlugin instance)
    {
        this.context = context;
        this.type = type;
        this.instance = instance;
    }

    /// <summary>The first object of the plugin's type, made at load; <see cref="UnloadAsync"/> shuts it down.</summary>
    public IEnginePlugin Instance => instance ?? throw new ObjectDisposedException(nameof(ManagedPlugin));

    /// <summary>
    /// Another object of the plugin's type, in the same load context (several instances of one engine
    /// version share its assemblies and statics). The caller initialises it and shuts it down before
    /// <see cref="UnloadAsync"/>.
    /// </summary>
    public IEnginePlugin CreateInstance()
    {
        ObjectDisposedException.ThrowIf(instance is null, this);
        return (IEnginePlugin)Activator.CreateInstance(type)!;
    }

    /// <summary>Loads <paramref name="typeName"/> from the assembly at <paramref name="assemblyPath"/> and creates it.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static ManagedPlugin Load(string assemblyPath, string typeName)
    {
        var full = Path.GetFullPath(assemblyPath);
        if (!File.Exists(full))
        {
            throw new FileNotFoundException($"plugin assembly not found: {full}", full);
        }

        var context = new PluginLoadContext(full);
        try
        {
            var assembly = context.LoadFromAssemblyPath(full);
            var type = assembly.GetType(typeName, throwOnError: false)
                ?? throw new TypeLoadException($"{full} has no type '{typeName}' (public types: {string.Join(", ", assembly.GetExportedTypes().Select(t => t.FullName))})");
            if (!typeof(IEnginePlugin).IsAssignableFrom(type))
            {
                throw new TypeLoadException($"{typeName} in {full} does not implement {typeof(IEnginePlugin).FullName} (is the plugin built against this host's SDK?)");
            }

            var plugin = (IEnginePlugin)(Activator.CreateInstance(type)
                ?? throw new MissingMethodException($"{typeName} has no public parameterless constructor"));
            return new ManagedPlugin(context, type, plugin);
        }
        catch
        {
            context.Unload();
            throw;
        }
    }

    /// <summary>Shuts the plugin down and unloads its context; nothing of it may be used afterwards.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public async Task<WeakReference> UnloadAsync(CancellationToken cancellationToken = default)
    {
        var plugin = instance ?? throw new ObjectDisposedException(nameof(ManagedPlugin));
        var loadContext = context!;
        instance = null;
        context = null;
        try
        {
            await plugin.ShutdownAsync(cancellationToken);
        }
        finally
        {
            loadContext.Unload();
        }

        return new WeakReference(loadContext);
    }
}
