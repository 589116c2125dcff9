namespace Inference.Onnx.Binding;

/// <summary>
/// The slice of ONNX Runtime's <c>OrtApi</c> function table this project calls, read once from the
/// table that <c>OrtGetApiBase()->GetApi(23)</c> returns. Indices are the zero-based slots of API
/// version 23 (see shared/reference/ort-api-v23-slots.txt); the table only grows at its end, so the
/// same indices hold in later libraries (1.29 keeps the first 390 slots identical).
/// </summary>
/// <remarks>
/// Signatures follow <c>onnxruntime_c_api.h</c>: pointers are <see cref="nint"/>, <c>size_t</c> is
/// <see cref="nuint"/>, enums are <see cref="int"/>, and every function but the <c>Release*</c> ones
/// returns an <c>OrtStatus*</c> (zero on success) that <see cref="OrtStatus.Check"/> turns into an
/// exception. Nothing here owns anything: ownership lives in the SafeHandles under Handles/.
/// </remarks>
internal sealed unsafe class OrtApi
{
    public const uint ApiVersion = 23;

    public readonly delegate* unmanaged[Cdecl]<int, byte*, nint> CreateStatus;
    public readonly delegate* unmanaged[Cdecl]<nint, int> GetErrorCode;
    public readonly delegate* unmanaged[Cdecl]<nint, byte*> GetErrorMessage;
    public readonly delegate* unmanaged[Cdecl]<delegate* unmanaged[Cdecl]<nint, int, byte*, byte*, byte*, byte*, void>, nint, int, byte*, nint*, nint> CreateEnvWithCustomLogger;
    public readonly delegate* unmanaged[Cdecl]<nint, byte*, nint, nint*, nint> CreateSession;
    public readonly delegate* unmanaged[Cdecl]<nint, void*, nuint, nint, nint*, nint> CreateSessionFromArray;
    public readonly delegate* unmanaged[Cdecl]<nint, nint, nint*, nint*, nuint, nint*, nuint, nint*, nint> Run;
    public readonly delegate* unmanaged[Cdecl]<nint*, nint> CreateSessionOptions;
    public readonly delegate* unmanaged[Cdecl]<nint, int, nint> SetSessionExecutionMode;
    public readonly delegate* unmanaged[Cdecl]<nint, nint> EnableCpuMemArena;
    public readonly delegate* unmanaged[Cdecl]<nint, nint> DisableCpuMemArena;
    public readonly delegate* unmanaged[Cdecl]<nint, byte*, nint> SetSessionLogId;
    public readonly delegate* unmanaged[Cdecl]<nint, int, nint> SetSessionLogSeverityLevel;
    public readonly delegate* unmanaged[Cdecl]<nint, int, nint> SetSessionGraphOptimizationLevel;
    public readonly delegate* unmanaged[Cdecl]<nint, int, nint> SetIntraOpNumThreads;
    public readonly delegate* unmanaged[Cdecl]<nint, int, nint> SetInterOpNumThreads;
    public readonly delegate* unmanaged[Cdecl]<nint, nuint*, nint> SessionGetInputCount;
    public readonly delegate* unmanaged[Cdecl]<nint, nuint*, nint> SessionGetOutputCount;
    public readonly delegate* unmanaged[Cdecl]<nint, nuint, nint*, nint> SessionGetInputTypeInfo;
    public readonly delegate* unmanaged[Cdecl]<nint, nuint, nint*, nint> SessionGetOutputTypeInfo;
    public readonly delegate* unmanaged[Cdecl]<nint, nuint, nint, byte**, nint> SessionGetInputName;
    public readonly delegate* unmanaged[Cdecl]<nint, nuint, nint, byte**, nint> SessionGetOutputName;
    public readonly delegate* unmanaged[Cdecl]<nint*, nint> CreateRunOptions;
    public readonly delegate* unmanaged[Cdecl]<nint, byte*, nint> RunOptionsSetRunTag;
    public readonly delegate* unmanaged[Cdecl]<nint, nint> RunOptionsSetTerminate;
    public readonly delegate* unmanaged[Cdecl]<nint, nint> RunOptionsUnsetTerminate;
    public readonly delegate* unmanaged[Cdecl]<nint, long*, nuint, int, nint*, nint> CreateTensorAsOrtValue;
    public readonly delegate* unmanaged[Cdecl]<nint, void*, nuint, long*, nuint, int, nint*, nint> CreateTensorWithDataAsOrtValue;
    public readonly delegate* unmanaged[Cdecl]<nint, int*, nint> IsTensor;
    public readonly delegate* unmanaged[Cdecl]<nint, void**, nint> GetTensorMutableData;
    public readonly delegate* unmanaged[Cdecl]<nint, nuint*, nint> GetStringTensorDataLength;
    public readonly delegate* unmanaged[Cdecl]<nint, void*, nuint, nuint*, nuint, nint> GetStringTensorContent;
    public readonly delegate* unmanaged[Cdecl]<nint, nint*, nint> CastTypeInfoToTensorInfo;
    public readonly delegate* unmanaged[Cdecl]<nint, int*, nint> GetOnnxTypeFromTypeInfo;
    public readonly delegate* unmanaged[Cdecl]<nint, int*, nint> GetTensorElementType;
    public readonly delegate* unmanaged[Cdecl]<nint, nuint*, nint> GetDimensionsCount;
    public readonly delegate* unmanaged[Cdecl]<nint, long*, nuint, nint> GetDimensions;
    public readonly delegate* unmanaged[Cdecl]<nint, byte**, nuint, nint> GetSymbolicDimensions;
    public readonly delegate* unmanaged[Cdecl]<nint, nuint*, nint> GetTensorShapeElementCount;
    public readonly delegate* unmanaged[Cdecl]<nint, nint*, nint> GetTensorTypeAndShape;
    public readonly delegate* unmanaged[Cdecl]<byte*, int, int, int, nint*, nint> CreateMemoryInfo;
    public readonly delegate* unmanaged[Cdecl]<int, int, nint*, nint> CreateCpuMemoryInfo;
    public readonly delegate* unmanaged[Cdecl]<nint, byte**, nint> MemoryInfoGetName;
    public readonly delegate* unmanaged[Cdecl]<nint, void*, nint> AllocatorFree;
    public readonly delegate* unmanaged[Cdecl]<nint*, nint> GetAllocatorWithDefaultOptions;
    public readonly delegate* unmanaged[Cdecl]<nint, void> ReleaseEnv;
    public readonly delegate* unmanaged[Cdecl]<nint, void> ReleaseStatus;
    public readonly delegate* unmanaged[Cdecl]<nint, void> ReleaseMemoryInfo;
    public readonly delegate* unmanaged[Cdecl]<nint, void> ReleaseSession;
    public readonly delegate* unmanaged[Cdecl]<nint, void> ReleaseValue;
    public readonly delegate* unmanaged[Cdecl]<nint, void> ReleaseRunOptions;
    public readonly delegate* unmanaged[Cdecl]<nint, void> ReleaseTypeInfo;
    public readonly delegate* unmanaged[Cdecl]<nint, void> ReleaseTensorTypeAndShapeInfo;
    public readonly delegate* unmanaged[Cdecl]<nint, void> ReleaseSessionOptions;
    public readonly delegate* unmanaged[Cdecl]<nint, nint*, nint> SessionGetModelMetadata;
    public readonly delegate* unmanaged[Cdecl]<nint, nint, byte**, nint> ModelMetadataGetProducerName;
    public readonly delegate* unmanaged[Cdecl]<nint, nint, byte**, nint> ModelMetadataGetGraphName;
    public readonly delegate* unmanaged[Cdecl]<nint, nint, byte**, nint> ModelMetadataGetDomain;
    public readonly delegate* unmanaged[Cdecl]<nint, nint, byte**, nint> ModelMetadataGetDescription;
    public readonly delegate* unmanaged[Cdecl]<nint, nint, byte*, byte**, nint> ModelMetadataLookupCustomMetadataMap;
    public readonly delegate* unmanaged[Cdecl]<nint, long*, nint> ModelMetadataGetVersion;
    public readonly delegate* unmanaged[Cdecl]<nint, void> ReleaseModelMetadata;
    public readonly delegate* unmanaged[Cdecl]<nint, nint, byte***, long*, nint> ModelMetadataGetCustomMetadataMapKeys;
    public readonly delegate* unmanaged[Cdecl]<byte***, int*, nint> GetAvailableProviders;
    public readonly delegate* unmanaged[Cdecl]<byte**, int, nint> ReleaseAvailableProviders;
    public readonly delegate* unmanaged[Cdecl]<nint, byte*, byte*, nint> AddSessionConfigEntry;
    public readonly delegate* unmanaged[Cdecl]<nint, nint, nint*, nint> CreateAllocator;
    public readonly delegate* unmanaged[Cdecl]<nint, void> ReleaseAllocator;
    public readonly delegate* unmanaged[Cdecl]<nint, nint, nint, nint> RunWithBinding;
    public readonly delegate* unmanaged[Cdecl]<nint, nint*, nint> CreateIoBinding;
    public readonly delegate* unmanaged[Cdecl]<nint, void> ReleaseIoBinding;
    public readonly delegate* unmanaged[Cdecl]<nint, byte*, nint, nint> BindInput;
    public readonly delegate* unmanaged[Cdecl]<nint, byte*, nint, nint> BindOutput;
    public readonly delegate* unmanaged[Cdecl]<nint, byte*, nint, nint> BindOutputToDevice;
    public readonly delegate* unmanaged[Cdecl]<nint, nint, nint**, nuint*, nint> GetBoundOutputValues;
    public readonly delegate* unmanaged[Cdecl]<nint, void> ClearBoundInputs;
    public readonly delegate* unmanaged[Cdecl]<nint, void> ClearBoundOutputs;
    public readonly delegate* unmanaged[Cdecl]<nint, nint*, nint> GetTensorMemoryInfo;
    public readonly delegate* unmanaged[Cdecl]<nint, nint, nint> SessionOptionsAppendExecutionProvider_CUDA_V2;
    public readonly delegate* unmanaged[Cdecl]<nint*, nint> CreateCUDAProviderOptions;
    public readonly delegate* unmanaged[Cdecl]<nint, byte**, byte**, nuint, nint> UpdateCUDAProviderOptions;
    public readonly delegate* unmanaged[Cdecl]<nint, void> ReleaseCUDAProviderOptions;
    public readonly delegate* unmanaged[Cdecl]<nint, nuint, nuint, byte**, nint> GetResizedStringTensorElementBuffer;
    public readonly delegate* unmanaged[Cdecl]<byte*> GetBuildInfoString;
    public readonly delegate* unmanaged[Cdecl]<nint, nuint*, nint> GetTensorSizeInBytes;
    public readonly delegate* unmanaged[Cdecl]<nint, void**, nint> GetTensorData;

    public OrtApi(void** table)
    {
        CreateStatus = (delegate* unmanaged[Cdecl]<int, byte*, nint>)table[0];
        GetErrorCode = (delegate* unmanaged[Cdecl]<nint, int>)table[1];
        GetErrorMessage = (delegate* unmanaged[Cdecl]<nint, byte*>)table[2];
        CreateEnvWithCustomLogger = (delegate* unmanaged[Cdecl]<delegate* unmanaged[Cdecl]<nint, int, byte*, byte*, byte*, byte*, void>, nint, int, byte*, nint*, nint>)table[4];
        CreateSession = (delegate* unmanaged[Cdecl]<nint, byte*, nint, nint*, nint>)table[7];
        CreateSessionFromArray = (delegate* unmanaged[Cdecl]<nint, void*, nuint, nint, nint*, nint>)table[8];
        Run = (delegate* unmanaged[Cdecl]<nint, nint, nint*, nint*, nuint, nint*, nuint, nint*, nint>)table[9];
        CreateSessionOptions = (delegate* unmanaged[Cdecl]<nint*, nint>)table[10];
        SetSessionExecutionMode = (delegate* unmanaged[Cdecl]<nint, int, nint>)table[13];
        EnableCpuMemArena = (delegate* unmanaged[Cdecl]<nint, nint>)table[18];
        DisableCpuMemArena = (delegate* unmanaged[Cdecl]<nint, nint>)table[19];
        SetSessionLogId = (delegate* unmanaged[Cdecl]<nint, byte*, nint>)table[20];
        SetSessionLogSeverityLevel = (delegate* unmanaged[Cdecl]<nint, int, nint>)table[22];
        SetSessionGraphOptimizationLevel = (delegate* unmanaged[Cdecl]<nint, int, nint>)table[23];
        SetIntraOpNumThreads = (delegate* unmanaged[Cdecl]<nint, int, nint>)table[24];
        SetInterOpNumThreads = (delegate* unmanaged[Cdecl]<nint, int, nint>)table[25];
        SessionGetInputCount = (delegate* unmanaged[Cdecl]<nint, nuint*, nint>)table[30];
        SessionGetOutputCount = (delegate* unmanaged[Cdecl]<nint, nuint*, nint>)table[31];
        SessionGetInputTypeInfo = (delegate* unmanaged[Cdecl]<nint, nuint, nint*, nint>)table[33];
        SessionGetOutputTypeInfo = (delegate* unmanaged[Cdecl]<nint, nuint, nint*, nint>)table[34];
        SessionGetInputName = (delegate* unmanaged[Cdecl]<nint, nuint, nint, byte**, nint>)table[36];
        SessionGetOutputName = (delegate* unmanaged[Cdecl]<nint, nuint, nint, byte**, nint>)table[37];
        CreateRunOptions = (delegate* unmanaged[Cdecl]<nint*, nint>)table[39];
        RunOptionsSetRunTag = (delegate* unmanaged[Cdecl]<nint, byte*, nint>)table[42];
        RunOptionsSetTerminate = (delegate* unmanaged[Cdecl]<nint, nint>)table[46];
        RunOptionsUnsetTerminate = (delegate* unmanaged[Cdecl]<nint, nint>)table[47];
        CreateTensorAsOrtValue = (delegate* unmanaged[Cdecl]<nint, long*, nuint, int, nint*, nint>)table[48];
        CreateTensorWithDataAsOrtValue = (delegate* unmanaged[Cdecl]<nint, void*, nuint, long*, nuint, int, nint*, nint>)table[49];
        IsTensor = (delegate* unmanaged[Cdecl]<nint, int*, nint>)table[50];
        GetTensorMutableData = (delegate* unmanaged[Cdecl]<nint, void**, nint>)table[51];
        GetStringTensorDataLength = (delegate* unmanaged[Cdecl]<nint, nuint*, nint>)table[53];
        GetStringTensorContent = (delegate* unmanaged[Cdecl]<nint, void*, nuint, nuint*, nuint, nint>)table[54];
        CastTypeInfoToTensorInfo = (delegate* unmanaged[Cdecl]<nint, nint*, nint>)table[55];
        GetOnnxTypeFromTypeInfo = (delegate* unmanaged[Cdecl]<nint, int*, nint>)table[56];
        GetTensorElementType = (delegate* unmanaged[Cdecl]<nint, int*, nint>)table[60];
        GetDimensionsCount = (delegate* unmanaged[Cdecl]<nint, nuint*, nint>)table[61];
        GetDimensions = (delegate* unmanaged[Cdecl]<nint, long*, nuint, nint>)table[62];
        GetSymbolicDimensions = (delegate* unmanaged[Cdecl]<nint, byte**, nuint, nint>)table[63];
        GetTensorShapeElementCount = (delegate* unmanaged[Cdecl]<nint, nuint*, nint>)table[64];
        GetTensorTypeAndShape = (delegate* unmanaged[Cdecl]<nint, nint*, nint>)table[65];
        CreateMemoryInfo = (delegate* unmanaged[Cdecl]<byte*, int, int, int, nint*, nint>)table[68];
        CreateCpuMemoryInfo = (delegate* unmanaged[Cdecl]<int, int, nint*, nint>)table[69];
        MemoryInfoGetName = (delegate* unmanaged[Cdecl]<nint, byte**, nint>)table[71];
        AllocatorFree = (delegate* unmanaged[Cdecl]<nint, void*, nint>)table[76];
        GetAllocatorWithDefaultOptions = (delegate* unmanaged[Cdecl]<nint*, nint>)table[78];
        ReleaseEnv = (delegate* unmanaged[Cdecl]<nint, void>)table[92];
        ReleaseStatus = (delegate* unmanaged[Cdecl]<nint, void>)table[93];
        ReleaseMemoryInfo = (delegate* unmanaged[Cdecl]<nint, void>)table[94];
        ReleaseSession = (delegate* unmanaged[Cdecl]<nint, void>)table[95];
        ReleaseValue = (delegate* unmanaged[Cdecl]<nint, void>)table[96];
        ReleaseRunOptions = (delegate* unmanaged[Cdecl]<nint, void>)table[97];
        ReleaseTypeInfo = (delegate* unmanaged[Cdecl]<nint, void>)table[98];
        ReleaseTensorTypeAndShapeInfo = (delegate* unmanaged[Cdecl]<nint, void>)table[99];
        ReleaseSessionOptions = (delegate* unmanaged[Cdecl]<nint, void>)table[100];
        SessionGetModelMetadata = (delegate* unmanaged[Cdecl]<nint, nint*, nint>)table[111];
        ModelMetadataGetProducerName = (delegate* unmanaged[Cdecl]<nint, nint, byte**, nint>)table[112];
        ModelMetadataGetGraphName = (delegate* unmanaged[Cdecl]<nint, nint, byte**, nint>)table[113];
        ModelMetadataGetDomain = (delegate* unmanaged[Cdecl]<nint, nint, byte**, nint>)table[114];
        ModelMetadataGetDescription = (delegate* unmanaged[Cdecl]<nint, nint, byte**, nint>)table[115];
        ModelMetadataLookupCustomMetadataMap = (delegate* unmanaged[Cdecl]<nint, nint, byte*, byte**, nint>)table[116];
        ModelMetadataGetVersion = (delegate* unmanaged[Cdecl]<nint, long*, nint>)table[117];
        ReleaseModelMetadata = (delegate* unmanaged[Cdecl]<nint, void>)table[118];
        ModelMetadataGetCustomMetadataMapKeys = (delegate* unmanaged[Cdecl]<nint, nint, byte***, long*, nint>)table[123];
        GetAvailableProviders = (delegate* unmanaged[Cdecl]<byte***, int*, nint>)table[125];
        ReleaseAvailableProviders = (delegate* unmanaged[Cdecl]<byte**, int, nint>)table[126];
        AddSessionConfigEntry = (delegate* unmanaged[Cdecl]<nint, byte*, byte*, nint>)table[130];
        CreateAllocator = (delegate* unmanaged[Cdecl]<nint, nint, nint*, nint>)table[131];
        ReleaseAllocator = (delegate* unmanaged[Cdecl]<nint, void>)table[132];
        RunWithBinding = (delegate* unmanaged[Cdecl]<nint, nint, nint, nint>)table[133];
        CreateIoBinding = (delegate* unmanaged[Cdecl]<nint, nint*, nint>)table[134];
        ReleaseIoBinding = (delegate* unmanaged[Cdecl]<nint, void>)table[135];
        BindInput = (delegate* unmanaged[Cdecl]<nint, byte*, nint, nint>)table[136];
        BindOutput = (delegate* unmanaged[Cdecl]<nint, byte*, nint, nint>)table[137];
        BindOutputToDevice = (delegate* unmanaged[Cdecl]<nint, byte*, nint, nint>)table[138];
        GetBoundOutputValues = (delegate* unmanaged[Cdecl]<nint, nint, nint**, nuint*, nint>)table[140];
        ClearBoundInputs = (delegate* unmanaged[Cdecl]<nint, void>)table[141];
        ClearBoundOutputs = (delegate* unmanaged[Cdecl]<nint, void>)table[142];
        GetTensorMemoryInfo = (delegate* unmanaged[Cdecl]<nint, nint*, nint>)table[194];
        SessionOptionsAppendExecutionProvider_CUDA_V2 = (delegate* unmanaged[Cdecl]<nint, nint, nint>)table[204];
        CreateCUDAProviderOptions = (delegate* unmanaged[Cdecl]<nint*, nint>)table[205];
        UpdateCUDAProviderOptions = (delegate* unmanaged[Cdecl]<nint, byte**, byte**, nuint, nint>)table[206];
        ReleaseCUDAProviderOptions = (delegate* unmanaged[Cdecl]<nint, void>)table[208];
        GetResizedStringTensorElementBuffer = (delegate* unmanaged[Cdecl]<nint, nuint, nuint, byte**, nint>)table[252];
        GetBuildInfoString = (delegate* unmanaged[Cdecl]<byte*>)table[254];
        GetTensorSizeInBytes = (delegate* unmanaged[Cdecl]<nint, nuint*, nint>)table[318];
        GetTensorData = (delegate* unmanaged[Cdecl]<nint, void**, nint>)table[378];
    }
}
