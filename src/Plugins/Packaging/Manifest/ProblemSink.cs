using YamlDotNet.RepresentationModel;

namespace Inference.Packaging.Manifest;

/// <summary>Collects problems with their paths and lines, so that one pass reports all of them.</summary>
internal sealed class ProblemSink
{
    public List<ManifestProblem> Problems { get; } = [];

    public void Add(string path, YamlNode? node, string message) =>
        Problems.Add(new ManifestProblem(path, node is null ? 0 : (int)node.Start.Line, message));
}
