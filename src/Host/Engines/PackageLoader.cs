using Inference.Host.Configuration;
using Inference.Host.Observability;
using Inference.Host.Registry;
using Inference.Host.Scheduling;
using Inference.Packaging.Archive;
using Inference.Packaging.Manifest;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Inference.Host.Engines;

/// <summary>
/// Installs and loads every plugin package (<c>&lt;service&gt;-&lt;version&gt;.tar.gz</c> with its
/// <c>.md5</c>) found in the repository at start: verified, extracted safely, manifest validated, its
/// service and version checked against the file name, then its engine created with the instances and
/// batching of <c>Engines:{service}:Instances</c> / <c>Batching</c>. A package that fails any step
/// (a bad setting included) is registered UNAVAILABLE with the reason; the others load.
/// </summary>
public sealed class PackageLoader(
    EngineRegistry registry,
    EngineFactory factory,
    Admission.LoadLimitsProvider limits,
    IOptions<ServerOptions> serverOptions,
    ILogger<PackageLoader> logger,
    IConfiguration? configuration = null) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await LoadAllAsync(cancellationToken);
        registry.MarkLoaded();
    }

    private async Task LoadAllAsync(CancellationToken cancellationToken)
    {
        var repository = RepositoryLoader.RepositoryPath(serverOptions.Value);
        if (!Directory.Exists(repository))
        {
            return; // the model loader reports a missing repository
        }

        var installRoot = string.IsNullOrWhiteSpace(serverOptions.Value.PackageInstallRoot)
            ? Path.Combine(repository, ".installed")
            : serverOptions.Value.PackageInstallRoot;
        var packages = Directory.EnumerateFiles(repository, "*.tar.gz").Order(StringComparer.Ordinal).ToList();
        if (packages.Count == 0)
        {
            return;
        }

        var installer = new PackageInstaller(installRoot);
        foreach (var package in packages)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await LoadAsync(installer, package, cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task LoadAsync(PackageInstaller installer, string package, CancellationToken cancellationToken)
    {
        var fileName = Path.GetFileName(package);
        if (!PackageFileName.TryParse(fileName, out var name))
        {
            HostLog.EngineUnavailable(logger, fileName, "the file name is not <service>-<MAJOR.MINOR.PATCH>.tar.gz");
            return;
        }

        SemanticVersion.TryParse(name!.Version, out var version);
        try
        {
            var installed = installer.Install(package, replace: true, cancellationToken: cancellationToken);
            var read = ManifestReader.ReadFile(installed.ManifestPath);
            if (!read.IsValid)
            {
                Unavailable(name.Service, version, fileName, "invalid manifest: " + string.Join("; ", read.Problems.Take(10)));
                return;
            }

            var manifest = read.Manifest!;
            if (manifest.Service.Id != name.Service || manifest.Service.Version != version)
            {
                Unavailable(name.Service, version, fileName, $"the manifest says {manifest.Service.Id} {manifest.Service.Version} but the file is {name.Service} {version}");
                return;
            }

            var scheduling = configuration is null
                ? ModelSchedulingOptions.Default
                : ModelSchedulingConfiguration.Read(configuration.GetSection(Admission.LoadLimitsProvider.EnginesSection).GetSection(name.Service));
            var engine = await factory.CreateAsync(manifest, installed.Directory, scheduling, cancellationToken);
            if (serverOptions.Value.RunTestCasesOnLoad && await FailedTestCaseAsync(engine, installed.Directory, cancellationToken) is { } failure)
            {
                await engine.DisposeAsync();
                Unavailable(name.Service, version, fileName, failure);
                return;
            }

            var configured = limits.ForEngine(name.Service, manifest.Config.OptimalConcurrency, manifest.Config.MaxConcurrency, out var limitsProblem);
            if (limitsProblem is not null)
            {
                await engine.DisposeAsync();
                Unavailable(name.Service, version, fileName, limitsProblem);
                return;
            }

            var gate = new Admission.AdmissionGate(configured);
            registry.Set(new EngineVersionEntry(name.Service, version, ModelState.Ready, null, engine, fileName, gate));
            HostLog.EngineReady(logger, name.Service, version.ToString(), manifest.Engine.Kind.ToString(), fileName);
            LogScheduling(engine, configured);
        }
        catch (Exception e) when (EngineFactory.IsLoadFailure(e))
        {
            Unavailable(name.Service, version, fileName, e.Message);
        }
    }

    /// <summary>Runs the manifest's test cases; the first failure as a reason, or null when all pass.</summary>
    private async Task<string?> FailedTestCaseAsync(IEngine engine, string directory, CancellationToken cancellationToken)
    {
        if (engine.Manifest.Tests.Count == 0)
        {
            return null;
        }

        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var outcomes = await TestCases.TestCaseRunner.RunAllAsync(engine, directory, TimeSpan.FromSeconds(serverOptions.Value.TestCaseTimeoutSeconds), cancellationToken);
        if (outcomes.FirstOrDefault(o => !o.Passed) is { } failed)
        {
            return $"its test case '{failed.Name}' failed at load: {string.Join("; ", failed.Failures)}";
        }

        var manifest = engine.Manifest;
        HostLog.TestCasesPassed(logger, manifest.Service.Id, manifest.Service.Version.ToString(), outcomes.Count, outcomes.Count, (long)System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        return null;
    }

    /// <summary>Says how the engine is scheduled, when that is not the default of one instance without batching.</summary>
    private void LogScheduling(IEngine engine, Admission.LoadLimits limits)
    {
        var (instances, batching) = (engine.Scheduling.Instances, engine.Scheduling.Batching);
        if (!instances.Exclusive && !batching.Enabled && instances.IntraOpThreads is null && instances.InterOpThreads is null)
        {
            return;
        }

        var (service, version) = (engine.Manifest.Service.Id, engine.Manifest.Service.Version.ToString());
        var snapshot = engine.Snapshot();
        EngineInstancesLog.InstancesReady(
            logger,
            service,
            version,
            snapshot.Instances.Count,
            string.Join(", ", snapshot.Instances.Select(i => i.Device)),
            snapshot.RunsPerInstance?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "any",
            batching.Enabled ? $"max {batching.MaxBatchSize}, delay {batching.MaxQueueDelayMicroseconds} us, preferred [{string.Join(", ", batching.PreferredBatchSizes)}]" : "off");
        if (batching.MaxBatchSize > limits.Optimal)
        {
            EngineInstancesLog.BatchAboveConcurrency(logger, service, version, batching.MaxBatchSize, limits.Optimal);
        }
    }

    private void Unavailable(string service, SemanticVersion version, string package, string reason)
    {
        HostLog.EngineUnavailable(logger, package, reason);
        registry.Set(new EngineVersionEntry(service, version, ModelState.Unavailable, reason, null, package));
    }
}
