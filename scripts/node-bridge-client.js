#!/usr/bin/env node
// A Node.js program on pixelbus's SockJS bridge, as a user writes one with Vert.x's official client
// (npm install @vertx/eventbus-bridge-client.js sockjs-client):
//   node scripts/node-bridge-client.js URL IMAGE TILES_DIR [EXPECT_WIDTH EXPECT_HEIGHT]
// URL is the bridge (http://127.0.0.1:8080/eventbus), IMAGE a file sent inline, TILES_DIR a folder under
// the server's input root. It checks: info of the image; a pipeline; every operation of the table
// (pixelbus.image.ops) with its example parameters; a batch over TILES_DIR followed to its end
// through its progress events; a 415 for bytes that are no image; a refused address. Exit 0 when all pass.
'use strict';
const fs = require('fs');
const EventBus = require('@vertx/eventbus-bridge-client.js');

const [url, image, tiles, width, height] = process.argv.slice(2);
if (!url || !image || !tiles) {
  console.error('usage: node-bridge-client.js URL IMAGE TILES_DIR [EXPECT_WIDTH EXPECT_HEIGHT]');
  process.exit(2);
}
const eb = new EventBus(url);
const errors = [];
eb.onerror = e => errors.push(e);

/** One request: the reply's body, or a rejection carrying the failure ({failureCode, message}). */
function request(address, body) {
  return new Promise((resolve, reject) =>
    eb.send(address, body, {}, (err, reply) => (err ? reject(err) : resolve(reply.body))));
}

function check(what, ok, detail) {
  if (!ok) {
    throw new Error(`${what}: ${JSON.stringify(detail)}`);
  }
  console.log(`ok   ${what}`);
}

async function main() {
  const info = await request('pixelbus.image.info', { input: { bytes: fs.readFileSync(image).toString('base64') } });
  check(`info of ${image} inline: ${info.width}x${info.height}, ${info.channels} channels`,
    (!width || (info.width === Number(width) && info.height === Number(height))) && info.channels === 3, info);

  // A batch, followed through its progress events to the last one, which carries the summary.
  const jobId = 'node-' + process.pid;
  const events = [];
  // A pipeline as a Node program sends it: the steps, one decode and one encode, the last step's reply.
  const piped = await request('pixelbus.image.pipeline', { input: { bytes: fs.readFileSync(image).toString('base64') },
    steps: ['grayscale', { op: 'resize', width: 128 }, { op: 'threshold', value: 127 }] });
  check(`pipeline grayscale, resize 128, threshold 127: ${piped.outputWidth}x${piped.outputHeight}, `
    + `steps ${JSON.stringify(piped.timings.steps)} ms`, piped.outputWidth === 128 && piped.timings.steps.length === 3
    && typeof piped.image === 'string', piped);
  try {
    await request('pixelbus.image.pipeline', { input: { bytes: fs.readFileSync(image).toString('base64') },
      steps: [{ op: 'emboss' }] });
    check('a pipeline with an unknown op is refused', false, 'it was accepted');
  } catch (err) {
    check(`a pipeline with an unknown op: ${err.failureCode} ${err.message}`, err.failureCode === 400
      && err.message.startsWith('step 0 (emboss)'), err);
  }

  // The table of operations, which a program builds its calls from, and each operation it lists with its example
  // parameters (the required ones): every address answers.
  const table = await request('pixelbus.image.ops', {});
  const bytes = fs.readFileSync(image).toString('base64');
  for (const op of table.ops) {
    const params = Object.fromEntries(op.params.filter(p => p.example !== undefined).map(p => [p.name, p.example]));
    const reply = await request(op.address, { input: { bytes }, ...params });
    check(`${op.name} from the table (${JSON.stringify(params)}): ${reply.outputWidth || reply.width}x`
      + `${reply.outputHeight || reply.height}`, reply.width > 0, reply);
  }
  check(`the table lists ${table.ops.length} operations, sharpen among them`, table.ops.some(o => o.name === 'sharpen'),
    table.ops.map(o => o.name));

  const finished = new Promise(resolve => eb.registerHandler('pixelbus.image.batch.progress', (err, msg) => {
    if (!err && msg.body.jobId === jobId) {
      events.push(msg.body);
      if (msg.body.finished) {
        resolve(msg.body);
      }
    }
  }));
  const started = await request('pixelbus.image.batch',
    { inputDir: tiles, outputDir: 'node-batch', op: 'grayscale', jobId, wait: false });
  check(`batch started at once with its job id ${started.jobId}`, started.jobId === jobId, started);
  const last = await finished;
  const summary = last.summary;
  check(`batch followed to its end: ${summary.images} images, ${summary.failedCount} failed, ${events.length} events`,
    summary.images > 0 && summary.failedCount === 0 && summary.images === last.done, last);

  try {
    await request('pixelbus.image.info', { input: { bytes: Buffer.from('not an image').toString('base64') } });
    check('a body that is no image is refused', false, 'it was accepted');
  } catch (err) {
    check(`a body that is no image: ${err.failureCode} ${err.message}`, err.failureCode === 415, err);
  }

  try {
    await request('pixelbus.image.batch.chunk', {});
    check('an address outside the permitted ones is refused', false, 'it was let through');
  } catch (err) {
    check(`an address outside the permitted ones: ${err.failureCode} ${err.message}`, err.failureCode === 403, err);
  }
  await new Promise(r => setTimeout(r, 200));
  check(`and onerror heard the bridge's own refusal (${JSON.stringify(errors)})`,
    errors.some(e => e.body === 'rejected'), errors);
}

eb.onopen = () => main().then(() => {
  console.log('node-bridge-client: PASS');
  eb.close();
  process.exit(0);
}, e => {
  console.error('FAIL: ' + e.message);
  process.exit(1);
});
setTimeout(() => {
  console.error('FAIL: not done within 120 s');
  process.exit(1);
}, 120_000).unref();
