// A real gRPC client against the host: @grpc/grpc-js with @grpc/proto-loader, loading the host's own
// .proto files. Run by GrpcNodeClientTests: `node client.js <host:port> <protos dir>`. It makes every
// call below and prints one JSON object with what came back; the C# test asserts on it.
'use strict';

const path = require('path');
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');

const [address, protos] = process.argv.slice(2);
const options = { keepCase: true, longs: Number, enums: String, defaults: true, oneofs: true };
const inference = grpc.loadPackageDefinition(protoLoader.loadSync(path.join(protos, 'grpc_service.proto'), options)).inference;
const health = grpc.loadPackageDefinition(protoLoader.loadSync(path.join(protos, 'health.proto'), options)).grpc.health.v1;

const client = new inference.GRPCInferenceService(address, grpc.credentials.createInsecure());
const healthClient = new health.Health(address, grpc.credentials.createInsecure());

const ramp = Array.from({ length: 16 }, (_, i) => i);
const ones = new Array(16).fill(1);

function unary(target, method, request, callOptions = {}) {
  return new Promise((resolve) => {
    target[method](request, new grpc.Metadata(), callOptions, (error, response) => {
      resolve(error ? { code: error.code, details: error.details } : { code: 0, response });
    });
  });
}

function floats(buffer) {
  const view = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  return Array.from({ length: buffer.byteLength / 4 }, (_, i) => view.getFloat32(i * 4, true));
}

function rawFloats(values) {
  const buffer = Buffer.alloc(values.length * 4);
  values.forEach((v, i) => buffer.writeFloatLE(v, i * 4));
  return buffer;
}

function typedRequest(id, a = ramp, b = ones) {
  return {
    model_name: 'simple',
    id,
    inputs: [
      { name: 'INPUT0', datatype: 'FP32', shape: [1, a.length], contents: { fp32_contents: a } },
      { name: 'INPUT1', datatype: 'FP32', shape: [1, b.length], contents: { fp32_contents: b } },
    ],
  };
}

function slowRequest(rows) {
  return {
    model_name: 'slow',
    inputs: [{ name: 'X', datatype: 'FP32', shape: [rows, 256] }],
    raw_input_contents: [Buffer.alloc(rows * 256 * 4)],
  };
}

function stream(requests) {
  return new Promise((resolve) => {
    const call = client.ModelStreamInfer();
    const responses = [];
    call.on('data', (r) => responses.push({
      error_message: r.error_message,
      id: r.infer_response ? r.infer_response.id : null,
      output0: r.infer_response && r.infer_response.outputs.length > 0
        ? (r.infer_response.raw_output_contents.length > 0 ? floats(r.infer_response.raw_output_contents[0]) : r.infer_response.outputs[0].contents.fp32_contents)
        : null,
    }));
    call.on('error', (e) => resolve({ code: e.code, details: e.details, responses }));
    call.on('status', (s) => { if (s.code === 0) resolve({ code: 0, responses }); });
    for (const r of requests) call.write(r);
    call.end();
  });
}

async function main() {
  const result = {};
  result.live = await unary(client, 'ServerLive', {});
  result.ready = await unary(client, 'ServerReady', {});
  result.modelReady = await unary(client, 'ModelReady', { name: 'simple' });
  result.serverMetadata = await unary(client, 'ServerMetadata', {});
  result.metadata = await unary(client, 'ModelMetadata', { name: 'simple' });

  const typed = await unary(client, 'ModelInfer', typedRequest('typed-1'));
  result.inferTyped = typed.code !== 0 ? typed : {
    code: 0,
    id: typed.response.id,
    names: typed.response.outputs.map((o) => o.name),
    shape: typed.response.outputs[0].shape,
    output0: typed.response.outputs[0].contents.fp32_contents,
    output1: typed.response.outputs[1].contents.fp32_contents,
  };

  const raw = await unary(client, 'ModelInfer', {
    model_name: 'simple',
    id: 'raw-1',
    inputs: [{ name: 'INPUT0', datatype: 'FP32', shape: [1, 16] }, { name: 'INPUT1', datatype: 'FP32', shape: [1, 16] }],
    raw_input_contents: [rawFloats(ramp), rawFloats(ones)],
  });
  result.inferRaw = raw.code !== 0 ? raw : {
    code: 0,
    id: raw.response.id,
    output0: floats(raw.response.raw_output_contents[0]),
    output1: floats(raw.response.raw_output_contents[1]),
  };

  result.stream = await stream([
    typedRequest('s1'),
    typedRequest('s2', [1, 2, 3]),
    typedRequest('s3', new Array(16).fill(10)),
    { ...typedRequest('s4'), model_name: 'no_such_model' },
  ]);

  result.unknownModel = await unary(client, 'ModelInfer', { ...typedRequest('x'), model_name: 'no_such_model' });
  result.badShape = await unary(client, 'ModelInfer', typedRequest('x', [1, 2, 3]));

  let started = Date.now();
  result.deadline = await unary(client, 'ModelInfer', slowRequest(4096), { deadline: Date.now() + 300 });
  result.deadline.ms = Date.now() - started;

  started = Date.now();
  result.cancel = await new Promise((resolve) => {
    const call = client.ModelInfer(slowRequest(32768), (error, response) => {
      resolve(error ? { code: error.code, details: error.details } : { code: 0 });
    });
    setTimeout(() => call.cancel(), 500);
  });
  result.cancel.ms = Date.now() - started;

  result.health = await unary(healthClient, 'Check', { service: '' });
  result.healthUnknown = await unary(healthClient, 'Check', { service: 'no.Such' });

  client.close();
  healthClient.close();
  process.stdout.write(JSON.stringify(result) + '\n');
}

main().catch((e) => {
  process.stderr.write(String(e && e.stack ? e.stack : e) + '\n');
  process.exit(1);
});
