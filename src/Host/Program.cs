using Inference.Host;

var app = HostApp.Build(args);
await app.RunAsync();
