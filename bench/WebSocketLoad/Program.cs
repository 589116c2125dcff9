using Inference.WebSocketLoad;

// dotnet Inference.WebSocketLoad.dll idle --url ws://127.0.0.1:8080/v1/engines/text_native/stream --sessions 10000 --host-pid PID
// dotnet Inference.WebSocketLoad.dll rtt  --url ws://127.0.0.1:8080/v1/engines/text_native/stream --chunks 20000 --chunk-bytes 640
try
{
    var options = LoadOptions.Parse(args);
    return options.Mode switch
    {
        "idle" => await IdleSessions.RunAsync(options),
        "rtt" => await RoundTrip.RunAsync(options),
        _ => throw new ArgumentException($"unknown mode '{options.Mode}': idle or rtt"),
    };
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine(LoadOptions.Usage);
    return 2;
}
