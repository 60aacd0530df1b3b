// pixelbus over gRPC from Node: @grpc/grpc-js with @grpc/proto-loader reading pixelbus-api's pixelbus.proto at run
// time (no generated code). Run by scripts/test-grpc-node:
//   node grpc-node-client.js PROTO_ROOT TARGET TOKEN IMAGE TILES OUT
// Checks: Apply grayscale -> threshold 127 (the PNG is written to OUT/threshold.png for cv2 to compare), an unknown
// op INVALID_ARGUMENT, no token UNAUTHENTICATED (the calls come from beyond loopback), a deadline DEADLINE_EXCEEDED
// and the server serving after it, Batch progress then summary, and a Batch cancelled by the caller. Exit 0 when all pass.
'use strict';
const fs = require('fs');
const path = require('path');
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');

const [protoRoot, target, token, imagePath, tiles, out] = process.argv.slice(2);
// protobufjs carries google/protobuf/struct.proto itself: only the root of our own imports is needed.
const definition = protoLoader.loadSync('pixelbus/v1/pixelbus.proto', {
  includeDirs: [protoRoot], keepCase: false, longs: Number, enums: String, defaults: true, oneofs: true,
});
const pixelbus = grpc.loadPackageDefinition(definition).pixelbus.v1;
const limits = { 'grpc.max_send_message_length': 64 << 20, 'grpc.max_receive_message_length': 64 << 20 };
const images = new pixelbus.Images(target, grpc.credentials.createInsecure(), limits);

// proto-loader keeps google.protobuf.Struct in its proto shape ({fields: {k: {numberValue: 1}}}).
function value(v) {
  if (typeof v === 'number') return { numberValue: v };
  if (typeof v === 'boolean') return { boolValue: v };
  if (Array.isArray(v)) return { listValue: { values: v.map(value) } };
  if (v !== null && typeof v === 'object') return { structValue: struct(v) };
  return { stringValue: String(v) };
}
function struct(o) { return { fields: Object.fromEntries(Object.entries(o).map(([k, v]) => [k, value(v)])) }; }
const step = (op, params = {}) => ({ op, params: struct(params) });
const auth = () => { const m = new grpc.Metadata(); m.set('authorization', 'Bearer ' + token); return m; };
const within = (ms) => ({ deadline: new Date(Date.now() + ms) });

function apply(request, metadata, options) {
  return new Promise((resolve) => images.Apply(request, metadata, options, (err, reply) => resolve({ err, reply })));
}
function batch(request, metadata, options, cancelAtFirst) {
  return new Promise((resolve) => {
    const events = [];
    const call = images.Batch(request, metadata, options);
    call.on('data', (e) => { events.push(e); if (cancelAtFirst) call.cancel(); });
    call.on('error', (err) => resolve({ events, err }));
    call.on('end', () => resolve({ events, err: null }));
  });
}

let failures = 0;
function ok(label, cond, detail) {
  console.log(`${cond ? 'ok  ' : 'FAIL'} ${label}${detail ? ': ' + detail : ''}`);
  if (!cond) failures++;
}
const statusOf = (err) => (err ? grpc.status[err.code] : 'OK');

(async () => {
  const image = fs.readFileSync(imagePath);
  let t0 = Date.now();
  let r = await apply({ image, steps: [step('grayscale'), step('threshold', { value: 127 })] }, auth(), within(60000));
  if (r.reply) fs.writeFileSync(path.join(out, 'threshold.png'), r.reply.image);
  ok('Apply grayscale -> threshold 127', !r.err && r.reply.format === 'png' && r.reply.threshold === 127,
    r.err ? statusOf(r.err) + ' ' + r.err.details
      : `${r.reply.width}x${r.reply.height}, ${r.reply.image.length} bytes of PNG, threshold ${r.reply.threshold}, ${Date.now() - t0} ms`);

  r = await apply({ image, steps: [step('sepia')] }, auth(), within(10000));
  // grpc-message as the spec encodes it: grpc-js shows ": , [" as they are (not %3A %2C)
  ok('unknown op INVALID_ARGUMENT, said why', r.err && r.err.code === grpc.status.INVALID_ARGUMENT
    && r.err.details.includes("steps[0]: unknown op 'sepia': use one of [info, grayscale,"),
    `${statusOf(r.err)}: ${r.err && r.err.details}`);

  r = await apply({ image, steps: [step('info')] }, new grpc.Metadata(), within(10000));
  ok('no token UNAUTHENTICATED', r.err && r.err.code === grpc.status.UNAUTHENTICATED, `${statusOf(r.err)}: ${r.err && r.err.details}`);

  t0 = Date.now();
  r = await apply({ image, steps: [step('resize', { width: 3000 }), step('blur', { ksize: 21 }), step('faces')] },
    auth(), within(300));
  ok('deadline 300 ms DEADLINE_EXCEEDED', r.err && r.err.code === grpc.status.DEADLINE_EXCEEDED,
    `${statusOf(r.err)} after ${Date.now() - t0} ms`);
  r = await apply({ image, steps: [step('info')] }, auth(), within(60000));
  ok('the server serves after it', !r.err && r.reply.info && r.reply.info.channels > 0,
    r.err ? statusOf(r.err) : `info: ${r.reply.info.channels} channels, ${r.reply.info.depth}`);

  const steps = [step('grayscale'), step('threshold', { value: 127 })];
  let b = await batch({ inputDir: tiles, outputDir: 'grpc-node-batch', steps }, auth(), within(120000), false);
  const progress = b.events.filter((e) => e.event === 'progress');
  const last = b.events[b.events.length - 1];
  ok('Batch progress then summary', !b.err && progress.length > 0 && last && last.event === 'summary'
    && last.summary.succeeded === 64 && last.summary.failed === 0,
    b.err ? statusOf(b.err) + ' ' + b.err.details
      : `${progress.length} progress, summary ${last.summary.succeeded} images in ${last.summary.seconds.toFixed(2)} s`);

  b = await batch({ inputDir: tiles, outputDir: 'grpc-node-cancel', steps: [step('resize', { width: 2000 }), step('blur', { ksize: 15 })] },
    auth(), within(120000), true);
  ok('Batch cancelled by the caller', b.err && b.err.code === grpc.status.CANCELLED && b.events.length >= 1,
    `${statusOf(b.err)} after ${b.events.length} event(s)`);

  images.close();
  console.log(failures === 0 ? 'all passed' : `${failures} failed`);
  process.exit(failures === 0 ? 0 : 1);
})().catch((e) => { console.error(e); process.exit(1); });
