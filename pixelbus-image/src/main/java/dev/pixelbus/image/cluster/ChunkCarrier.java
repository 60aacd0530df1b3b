package dev.pixelbus.image.cluster;

import dev.pixelbus.api.ErrorCode;
import dev.pixelbus.api.PixelbusException;
import dev.pixelbus.common.PathPolicy;
import dev.pixelbus.image.chunk.BatchFiles;
import dev.pixelbus.image.chunk.BatchFrame;
import dev.pixelbus.image.chunk.BatchNames;
import dev.pixelbus.image.chunk.ChunkAddresses;
import dev.pixelbus.image.chunk.Chunks;
import dev.pixelbus.image.ops.OutputFormat;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bytes-mode half of a batch: it reads a chunk's files into one {@link BatchFrame}, sends it to
 * a node ({@link ChunkNodes} picks which), waits for the reply no longer than the batch's pace
 * allows, and writes the results. Only a reply that arrives in time is written: a late reply of a
 * chunk that was sent again goes nowhere, so no file is written twice. Lives on the batch's event
 * loop; {@link #load} runs on a worker thread.
 */
public final class ChunkCarrier {
  private static final Logger LOG = LoggerFactory.getLogger(ChunkCarrier.class);
  /** The shortest wait for a chunk's reply, however fast the chunks so far came back. */
  static final long MIN_CHUNK_TIMEOUT_MS = 2_000;
  /** A chunk stops growing at this many bytes of images (a single larger image still goes alone). */
  static final long MAX_FRAME_BYTES = 16L << 20;

  /**
   * A batch whose images travel as bytes ("bytes" mode): this node reads each chunk's files, any
   * node's workers process them, and this node writes the results. A chunk whose node leaves, or
   * whose reply does not come in time, goes again to another node: see {@link ChunkCarrier}.
   *
   * @param paths the roots that a symbolic link in the input folder must stay inside
   */
  public record Remote(PathPolicy paths, long maxInputBytes, long chunkTimeoutMs) {
  }

  private final Vertx vertx;
  private final Remote remote;
  private final Path inputDir;
  private final Path outputDir;
  private final OutputFormat format;
  private final JsonObject header;
  private final ChunkNodes nodes;
  /** The chunks out. */
  private final Set<Attempt> attempts = new HashSet<>();
  /**
   * The slowest recent round trip of a chunk: each reply lowers it by a fifth, so the first chunks,
   * slow while the nodes warm up, stop counting after a few dozen replies.
   */
  private long slowestNanos;
  private boolean cancelled;

  /**
   * @param outputDir where the results are written, or null (info)
   * @param format    the batch's output format, or null to keep each input's extension
   * @param header    what every chunk repeats: {op, params, format?, quality?}
   */
  public ChunkCarrier(Vertx vertx, Remote remote, Path inputDir, Path outputDir, OutputFormat format, JsonObject header) {
    this.vertx = vertx;
    this.remote = remote;
    this.inputDir = inputDir;
    this.outputDir = outputDir;
    this.format = format;
    this.header = header;
    this.nodes = new ChunkNodes(vertx, this::nodeLeft);
  }

  /** Starts watching the cluster; completes once the nodes that serve are first known. */
  public Future<Void> start() {
    return nodes.start();
  }

  public void stop() {
    nodes.stop();
  }

  /**
   * The batch was cancelled: the chunks out fail now, and nothing more is written, not even a reply
   * that was on its way (the other nodes' workers finish their chunk; its results go nowhere).
   */
  public void cancel() {
    cancelled = true;
    for (Attempt a : new ArrayList<>(attempts)) {
      a.reply.tryFail(new PixelbusException(ErrorCode.BUSY, "the batch was cancelled"));
    }
  }

  /**
   * Sends a chunk's frame to the least busy node and writes the results it sends back; the future
   * has the chunk's reply ({done, failed, timings}), or fails with 503 (no node serves), 500 (no
   * reply in time, or the node left) or the worker's own code.
   *
   * @param attempt 1 for the first time; each later attempt waits twice as long
   */
  public Future<JsonObject> send(List<String> files, Buffer frame, int attempt) {
    if (cancelled) {
      return Future.failedFuture(new PixelbusException(ErrorCode.BUSY, "the batch was cancelled"));
    }
    String node = nodes.pick();
    if (node == null && nodes.clustered()) {
      return Future.failedFuture(new PixelbusException(ErrorCode.BUSY, "no node of the cluster serves image chunks (yet)"));
    }
    Attempt a = new Attempt(node);
    long wait = timeoutMs(attempt);
    a.expireIn(wait, "no reply in time: waited " + wait + " ms" + (a.node == null ? "" : " for node " + a.node));
    // The event bus's own timeout only backs ours up, and frees its reply address in the end.
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(remote.chunkTimeoutMs() + wait);
    String address = a.node == null ? ChunkAddresses.BYTES : ChunkAddresses.bytesOn(a.node);
    vertx.eventBus().<Buffer>request(address, frame, options).onComplete(ar -> {
      if (ar.succeeded()) {
        a.reply.tryComplete(ar.result().body());
      } else {
        a.reply.tryFail(ar.cause());
      }
    });
    return a.reply.future().compose(body -> {
      slowestNanos = Math.max(System.nanoTime() - a.sentAt, slowestNanos * 4 / 5);
      if (cancelled) {
        return Future.failedFuture(new PixelbusException(ErrorCode.BUSY, "the batch was cancelled"));
      }
      return vertx.executeBlocking(() -> writeResults(files, body), false);
    });
  }

  /**
   * A chunk on its way to the nodes in bytes mode. Whichever comes first ends it: the reply, or its
   * timer. A reply that comes after the timer finds the attempt over and is never written.
   */
  private final class Attempt {
    final long sentAt = System.nanoTime();
    final Promise<Buffer> reply = Promise.promise();
    /** The node it went to, or null for the shared address (no node known yet, or no cluster). */
    final String node;
    /** Set when its timer ended it, rather than a reply or the node's leaving. */
    boolean timedOut;
    private long timer = -1;

    Attempt(String node) {
      this.node = node;
      attempts.add(this);
      nodes.sent(node);
      reply.future().onComplete(ar -> {
        attempts.remove(this);
        nodes.back(node);
        vertx.cancelTimer(timer);
        if (ar.succeeded()) {
          nodes.answered(node);
        } else if (timedOut) {
          nodes.timedOut(node);
        }
      });
    }

    /** Called once per attempt, when it is sent. */
    void expireIn(long ms, String why) {
      timer = vertx.setTimer(ms, id -> {
        timedOut = !reply.future().isComplete(); // set first: failing the reply runs its listeners at once
        reply.tryFail(new PixelbusException(ErrorCode.INTERNAL, why));
      });
    }
  }

  /** A node stopped serving: the chunks it held go again now, to the others. */
  private void nodeLeft(String node) {
    int lost = 0;
    for (Attempt a : new ArrayList<>(attempts)) {
      if (node.equals(a.node)) {
        a.reply.tryFail(new PixelbusException(ErrorCode.INTERNAL, "node " + node + " left the cluster"));
        lost++;
      }
    }
    LOG.warn("Node {} left the cluster holding {} chunks of this batch; they go to the other nodes", node, lost);
  }

  /**
   * How long a chunk waits for its reply. A node that dies takes its chunks with it, and only a
   * timeout tells: so the wait follows the batch's own pace, ten times its slowest recent chunk and
   * at least {@link #MIN_CHUNK_TIMEOUT_MS}, doubled at each attempt so that a chunk that is slow on
   * every node still gets through, and never more than {@code chunkTimeoutMs} (the whole wait while
   * no chunk has come back yet).
   */
  private long timeoutMs(int attempt) {
    long max = remote.chunkTimeoutMs();
    if (slowestNanos == 0) {
      return max;
    }
    long paced = Math.max(MIN_CHUNK_TIMEOUT_MS, 10 * slowestNanos / 1_000_000);
    return Math.min(max, paced << Math.min(20, attempt - 1));
  }

  /** What reading a chunk's files gave: the frame of those that could be read, and the rest. */
  public record Loaded(List<String> names, Buffer frame, JsonArray failed, List<String> leftover, double readMs) {
  }

  /** On a worker thread: reads files until the frame would pass {@link #MAX_FRAME_BYTES}. */
  public Loaded load(List<String> files) {
    long t0 = System.nanoTime();
    List<String> names = new ArrayList<>(files.size());
    List<Buffer> parts = new ArrayList<>(files.size());
    JsonArray failed = new JsonArray();
    long bytes = 0;
    int i = 0;
    for (; i < files.size() && (names.isEmpty() || bytes < MAX_FRAME_BYTES); i++) {
      String name = files.get(i);
      try {
        PathPolicy.plainName(name);
        byte[] data = BatchFiles.readListed(inputDir.resolve(name), remote.paths(), remote.maxInputBytes());
        names.add(name);
        parts.add(BatchFrame.part(data));
        bytes += data.length;
      } catch (PixelbusException e) {
        failed.add(Chunks.failure(name, e.failureCode(), e.getMessage()));
      }
    }
    return new Loaded(names, new BatchFrame(Chunks.header(header, names), parts).encode(), failed, files.subList(i, files.size()),
        (System.nanoTime() - t0) / 1e6);
  }

  /** On a worker thread: writes each result of a reply frame under its output name. */
  private JsonObject writeResults(List<String> names, Buffer replyFrame) {
    BatchFrame frame = BatchFrame.decode(replyFrame);
    JsonObject reply = frame.header();
    if (frame.parts().size() != names.size()) {
      throw new PixelbusException(ErrorCode.INTERNAL, "the worker answered " + frame.parts().size() + " results for "
          + names.size() + " images");
    }
    if (outputDir == null) {
      return reply; // info: nothing to write
    }
    long t0 = System.nanoTime();
    int done = reply.getInteger("done");
    JsonArray failed = reply.getJsonArray("failed");
    for (int i = 0; i < names.size(); i++) {
      Buffer out = frame.parts().get(i);
      if (out.length() == 0) {
        continue;
      }
      String name = names.get(i);
      try {
        byte[] bytes = out.getBytes();
        BatchFiles.writeAtomically(outputDir.resolve(BatchNames.outputName(name, format)), bytes);
      } catch (PixelbusException e) {
        done--;
        failed.add(Chunks.failure(name, e.failureCode(), e.getMessage()));
      }
    }
    JsonObject t = reply.getJsonObject("timings");
    t.put("write", t.getDouble("write") + (System.nanoTime() - t0) / 1e6);
    return reply.put("done", done);
  }
}
