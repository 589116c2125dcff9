using Inference.Host.Errors;
using Inference.Host.Protocol.Grpc;
using Inference.Host.Protocol.Oip;

namespace Inference.Host.Transport.Grpc;

/// <summary>
/// <c>InferParameter</c> values as the values our request parameters hold (those the JSON decoder
/// gives): bool, long, string, double. A uint64 that fits a long is a long, so that
/// <c>priority</c> and <c>timeout</c> read the same whichever integer choice the client used.
/// </summary>
internal static class GrpcParameters
{
    public static object? ToValue(InferParameter parameter) => parameter.ParameterChoiceCase switch
    {
        InferParameter.ParameterChoiceOneofCase.BoolParam => BoxCache.Of(parameter.BoolParam),
        InferParameter.ParameterChoiceOneofCase.Int64Param => parameter.Int64Param,
        InferParameter.ParameterChoiceOneofCase.StringParam => parameter.StringParam,
        InferParameter.ParameterChoiceOneofCase.DoubleParam => parameter.DoubleParam,
        InferParameter.ParameterChoiceOneofCase.Uint64Param when parameter.Uint64Param <= long.MaxValue => (long)parameter.Uint64Param,
        InferParameter.ParameterChoiceOneofCase.Uint64Param => (double)parameter.Uint64Param,
        _ => null,
    };

    /// <summary>A boolean parameter such as <c>binary_data</c>: null when absent, an error naming it when not a bool.</summary>
    public static bool? Bool(IReadOnlyDictionary<string, InferParameter> parameters, string key, string owner)
    {
        if (!parameters.TryGetValue(key, out var parameter))
        {
            return null;
        }

        return parameter.ParameterChoiceCase == InferParameter.ParameterChoiceOneofCase.BoolParam
            ? parameter.BoolParam
            : throw new InferenceException(InferenceError.Invalid($"{owner}: parameter '{key}' must be bool_param"));
    }
}
