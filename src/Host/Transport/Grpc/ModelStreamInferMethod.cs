using System.Diagnostics;
using Inference.Host.Errors;
using Inference.Host.Observability;
using Inference.Host.Protocol.Grpc;
using Microsoft.Extensions.Logging;

namespace Inference.Host.Transport.Grpc;

/// <summary>
/// ModelStreamInfer (bidirectional): each request message is served in turn and answered by one
/// <c>ModelStreamInferResponse</c>, in order. A failed request is answered with <c>error_message</c> set
/// (and <c>infer_response</c> carrying only the model and id, to match it) and the stream goes on; the
/// call ends OK when the client closes its side, DEADLINE_EXCEEDED when its grpc-timeout passes.
/// Messages of one stream run one after another; concurrency comes from several streams or calls.
/// </summary>
public sealed class ModelStreamInferMethod(GrpcInferExecutor executor, ILogger<ModelStreamInferMethod> logger) : IGrpcMethod
{
    public string Path { get; } = InferenceServicePaths.Of("ModelStreamInfer");

    public async ValueTask<GrpcStatus> HandleAsync(GrpcCall call)
    {
        long index = 0;
        while (await call.ReadNextAsync(ModelInferRequest.Parser) is { } message)
        {
            var arrival = Stopwatch.GetTimestamp();
            var error = await executor.InferAsync(message, call, arrival, response => call.WriteAsync(new ModelStreamInferResponse { InferResponse = response }));
            if (error is not null)
            {
                if (error.Kind == ErrorKind.DeadlineExceeded && call.DeadlineExpired)
                {
                    // The call's own deadline, not this message's: the whole stream is over.
                    return GrpcStatus.From(error);
                }

                GrpcLog.StreamRequestFailed(logger, index, error.Message);
                await call.WriteAsync(new ModelStreamInferResponse
                {
                    ErrorMessage = error.Message,
                    InferResponse = new ModelInferResponse { ModelName = message.ModelName, ModelVersion = message.ModelVersion, Id = message.Id },
                });
            }

            index++;
        }

        return GrpcStatus.Ok;
    }
}
