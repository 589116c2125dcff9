using System.Net;
using System.Text.Json;
using Inference.Host.Tests.Infrastructure;

namespace Inference.Host.Tests.Transport.Http;

[Collection(HostCollection.Name)]
public sealed class RepositoryIndexTests(HostFixture host)
{
    /// <summary>What the test repository holds, written out here rather than read from the host.</summary>
    private static readonly (string Name, string Version)[] ReadyModels =
    [
        ("simple", "1"), ("mlp_classifier", "1"), ("string_identity", "1"),
        .. TensorCodec.DataTypes.Select(d => (d.Model, "1")),
        ("scalar_fp32", "1"), ("reshape_fails", "1"), ("versioned", "1"), ("versioned", "2"), ("flat", "1"),
    ];

    [Fact]
    public async Task ListsEveryReadyModelVersion()
    {
        var index = await IndexAsync();
        foreach (var (name, version) in ReadyModels)
        {
            var entry = Assert.Single(index, e => e.Name == name && e.Version == version);
            Assert.Equal("READY", entry.State);
            Assert.Equal("", entry.Reason);
        }

        Assert.Equal(ReadyModels.Length, index.Count(e => e.State == "READY"));
    }

    [Fact]
    public async Task ListsUnusableModelsAsUnavailableWithTheirReason()
    {
        var index = await IndexAsync();
        var corrupt = Assert.Single(index, e => e.Name == "corrupt");
        Assert.Equal("UNAVAILABLE", corrupt.State);
        Assert.Equal("1", corrupt.Version);
        Assert.False(string.IsNullOrWhiteSpace(corrupt.Reason));

        var badVersion = Assert.Single(index, e => e.Name == "badversion");
        Assert.Equal("UNAVAILABLE", badVersion.State);
        Assert.Contains("latest", badVersion.Reason, StringComparison.Ordinal);

        // Nothing else: every entry is a model of the test repository.
        Assert.Equal(ReadyModels.Length + 2, index.Count);
    }

    [Fact]
    public async Task IndexIsOrderedByNameThenVersion()
    {
        var index = await IndexAsync();
        var expected = index.OrderBy(e => e.Name, StringComparer.Ordinal).ThenBy(e => long.Parse(e.Version, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(expected, index);
    }

    private async Task<List<(string Name, string Version, string State, string Reason)>> IndexAsync()
    {
        using var response = await host.Client.PostAsync("/v2/repository/index", content: null);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        using var doc = JsonDocument.Parse(body);
        return doc.RootElement.EnumerateArray().Select(e => (
            e.GetProperty("name").GetString()!,
            e.GetProperty("version").GetString()!,
            e.GetProperty("state").GetString()!,
            e.GetProperty("reason").GetString()!)).ToList();
    }
}
