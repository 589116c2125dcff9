namespace Inference.Host.Transport.Grpc;

/// <summary>The paths of the RPCs served on the gRPC port.</summary>
public static class InferenceServicePaths
{
    public const string Service = "inference.GRPCInferenceService";
    public const string HealthService = "grpc.health.v1.Health";

    public static string Of(string method) => $"/{Service}/{method}";
}
