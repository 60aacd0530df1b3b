package dev.pixelbus.image.worker;

import dev.pixelbus.api.Addresses;
import dev.pixelbus.api.ErrorCode;
import dev.pixelbus.api.ImageOp;
import dev.pixelbus.api.ImageService;
import dev.pixelbus.api.LocalJsonCodec;
import dev.pixelbus.image.chunk.BatchFrame;
import dev.pixelbus.image.chunk.ChunkAddresses;
import dev.pixelbus.image.cluster.ClusterView;
import dev.pixelbus.image.ops.Operation;
import dev.pixelbus.image.ops.Operations;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import io.vertx.serviceproxy.ServiceBinder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the public {@code pixelbus.image.*} addresses and hands each request to an idle image
 * worker, so a slow job (faces on a large photo) never holds up small ones while another worker
 * is free. The event bus alone would round-robin requests over the workers whether they are busy
 * or not. Requests wait in a bounded queue while every worker is busy; past its capacity they get
 * 503 at once.
 *
 * <p>A batch chunk may also go to a worker that is busy with one job, to wait in that worker's own
 * queue: the worker then starts it the moment it finishes, instead of idling while its reply
 * travels here and the next chunk travels back (measured: 2–4 ms a chunk on a loaded 2-core
 * machine, a third of the work). Single requests never wait behind a worker's job that way.
 * Runs on one event loop, so its state needs no locks.
 */
public final class ImageDispatcherVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(ImageDispatcherVerticle.class);
  /** The request header that tells a worker which operation to run. */
  public static final String OP_HEADER = "op";
  /** The header value of a batch chunk, beside the ops' names. */
  public static final String CHUNK = "chunk";
  /** The header value of a batch chunk that carries its images ({@link BatchFrame}), from any node. */
  public static final String BYTES_CHUNK = "bytes-chunk";
  /** Jobs a worker may hold: the one it runs and, for chunks, one waiting. */
  private static final int MAX_LOAD = 2;
  /** Between the dispatcher and its own workers: no timeout of the event bus's (see dispatch). */
  private static final long WORKER_SEND_TIMEOUT_MS = TimeUnit.DAYS.toMillis(365);

  private record Pending(String op, Message<Object> request, long start) {
    Pending(String op, Message<Object> request) {
      this(op, request, System.nanoTime());
    }

    boolean isChunk() {
      return CHUNK.equals(op) || BYTES_CHUNK.equals(op);
    }
  }

  /** Each worker's address and how many jobs it holds, in the order they registered. */
  private final Map<String, Integer> load = new LinkedHashMap<>();
  private final ArrayDeque<String> idle = new ArrayDeque<>();
  /** Workers still running a job whose caller was told it timed out: they get no waiting chunk until it ends. */
  private final Set<String> overdue = new HashSet<>();
  private final ArrayDeque<Pending> queue = new ArrayDeque<>();
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();
  private final int queueCapacity;
  private final long workerTimeoutMs;
  /** What decodes and encodes here, in words: for the stats and /health. */
  private final String codec;
  private long accepted;
  /** Per operation, for the metrics: requests answered, failures, and seconds from arrival to reply. */
  private final Map<String, OpCounts> ops = new TreeMap<>();

  private static final class OpCounts {
    long requests;
    long failed;
    long nanos;

    void add(boolean ok, long elapsed) {
      requests++;
      failed += ok ? 0 : 1;
      nanos += elapsed;
    }
  }
  private long succeeded;
  private long failed;
  private long rejected;
  private int busy;
  private boolean stopping;
  private Promise<Void> drained;

  /**
   * @param queueCapacity   requests waiting for a free worker before new ones get 503
   * @param workerTimeoutMs how long a caller waits for a worker's reply
   * @param codec           what decodes and encodes, in words (Codecs.describe)
   */
  public ImageDispatcherVerticle(int queueCapacity, long workerTimeoutMs, String codec) {
    this.queueCapacity = queueCapacity;
    this.workerTimeoutMs = workerTimeoutMs;
    this.codec = codec;
  }

  @Override
  public Future<?> start() {
    EventBus eb = vertx.eventBus();
    for (Operation<?> op : Operations.all()) {
      consumers.add(eb.consumer(op.op().address(), msg -> accept(op.label(), msg)));
    }
    consumers.add(eb.consumer(ImageOp.PIPELINE.address(), msg -> accept(ImageOp.PIPELINE.label(), msg)));
    // The table itself: what GET /v1/ops serves, for any node and any bridge client.
    consumers.add(eb.consumer(Addresses.IMAGE_OPS, msg -> msg.reply(OpsCatalog.json())));
    // In a cluster the operations and the chunks that carry their images are served by every node's
    // dispatcher; the rest is this node's own: chunks of names name files on this node's disk, workers
    // register with their own node, stats are per node.
    consumers.add(eb.consumer(ChunkAddresses.BYTES, msg -> accept(BYTES_CHUNK, msg)));
    ClusterView cluster = ClusterView.of(vertx);
    if (cluster.clustered()) {
      consumers.add(eb.consumer(ChunkAddresses.bytesOn(cluster.nodeId()), msg -> accept(BYTES_CHUNK, msg)));
    }
    consumers.add(eb.localConsumer(ChunkAddresses.FILES, msg -> accept(CHUNK, msg)));
    // The typed service on this verticle's own event loop: its calls reach the op addresses above without
    // a hop to another thread (measured with pixelbus bench-calls: see docs/toolkit.md).
    consumers.add(new ServiceBinder(vertx).setAddress(Addresses.IMAGE_SERVICE)
        .register(ImageService.class, ImageServiceImpl.create(vertx)));
    consumers.add(eb.localConsumer(ChunkAddresses.WORKER_REGISTER, this::register));
    consumers.add(eb.localConsumer(Addresses.IMAGE_STATS, msg -> msg.reply(stats())));
    List<Future<Void>> ready = new ArrayList<>();
    consumers.forEach(c -> ready.add(c.completion()));
    return Future.all(ready);
  }

  /**
   * Stops taking requests, fails the queued ones with 503, and waits for the jobs the workers are
   * running, so that every accepted request gets a reply. Vert.x stops the workers in parallel; each
   * finishes its jobs before it stops.
   */
  @Override
  public Future<?> stop() {
    stopping = true;
    consumers.forEach(MessageConsumer::unregister);
    Pending p;
    while ((p = queue.poll()) != null) {
      rejected++;
      p.request().fail(ErrorCode.BUSY.code, "pixelbus is shutting down; try again later");
    }
    if (busy == 0) {
      return Future.succeededFuture();
    }
    drained = Promise.promise();
    LOG.info("Waiting for {} image jobs to finish", busy);
    return drained.future();
  }

  private void accept(String op, Message<Object> msg) {
    Object body = msg.body();
    if (BYTES_CHUNK.equals(op) ? !(body instanceof Buffer) : !(body instanceof JsonObject)) {
      // A string or a number from the bridge, say: the caller's mistake, told at once, no worker taken.
      msg.fail(ErrorCode.BAD_REQUEST.code, "a " + op + " request must be " + (BYTES_CHUNK.equals(op) ? "a batch frame"
          : "a JSON object") + ", not " + (body == null ? "nothing" : body.getClass().getSimpleName()));
      return;
    }
    accepted++;
    Pending job = new Pending(op, msg);
    String worker = idle.poll();
    if (worker == null && job.isChunk()) {
      worker = withLoad(1);
    }
    if (worker != null) {
      dispatch(worker, job);
    } else if (queue.size() < queueCapacity) {
      queue.add(job);
    } else {
      rejected++;
      msg.fail(ErrorCode.BUSY.code, ErrorCode.FULL + "all " + load.size() + " image workers are working and " + queue.size()
          + " requests are queued (image.queueCapacity); try again later");
    }
  }

  private String withLoad(int n) {
    for (Map.Entry<String, Integer> e : load.entrySet()) {
      if (e.getValue() == n && !overdue.contains(e.getKey())) {
        return e.getKey();
      }
    }
    return null;
  }

  private void register(Message<Object> msg) {
    String address = ((JsonObject) msg.body()).getString("address");
    if (!load.containsKey(address)) {
      load.put(address, 0);
      fill(address);
    }
    msg.reply(new JsonObject().put("workers", load.size()));
  }

  private void dispatch(String worker, Pending job) {
    busy++;
    load.merge(worker, 1, Integer::sum);
    Object body = job.request().body();
    // The caller hears at workerTimeoutMs; the worker keeps the job (and its load) until it really answers,
    // so that nothing more is handed to a worker that is still busy with a job that outlived its caller.
    Overdue late = new Overdue();
    long timer = vertx.setTimer(workerTimeoutMs, t -> {
      late.told = true;
      overdue.add(worker);
      count(job, false);
      LOG.warn("Image worker {} has run a {} job for over {} ms (image.workerTimeoutMs); it gets no other until it ends",
          worker, job.op(), workerTimeoutMs);
      job.request().fail(ErrorCode.INTERNAL.code, "the image worker did not answer within " + workerTimeoutMs
          + " ms (image.workerTimeoutMs)");
    });
    DeliveryOptions options = options(body).addHeader(OP_HEADER, job.op()).setSendTimeout(WORKER_SEND_TIMEOUT_MS);
    vertx.eventBus().request(worker, body, options).onComplete(ar -> {
      vertx.cancelTimer(timer);
      if (late.told) {
        overdue.remove(worker);
      }
      busy--;
      if (stopping && busy == 0 && drained != null) {
        drained.tryComplete();
      }
      ReplyException e = ar.failed() && ar.cause() instanceof ReplyException re ? re : null;
      if (e != null && e.failureType() == ReplyFailure.NO_HANDLERS) {
        if (late.told) {
          load.remove(worker);
          idle.remove(worker);
        } else {
          lost(worker, job);
        }
        return;
      }
      load.computeIfPresent(worker, (w, n) -> n - 1);
      if (!late.told) {
        count(job, ar.succeeded());
        if (ar.succeeded()) {
          Object reply = ar.result().body();
          // By reference only to a caller that can read the codec: a plain Vert.x application in the cluster
          // could not decode a pixelbus-json reply, and would wait for its timeout.
          job.request().reply(reply, reply instanceof JsonObject ? LocalJsonCodec.replyOptions(job.request())
              : new DeliveryOptions());
        } else {
          relayFailure(job, e, ar.cause());
        }
      }
      fill(worker);
    });
  }

  /** Whether a job's caller was already told that its worker is late (it then hears nothing more). */
  private static final class Overdue {
    boolean told;
  }

  /** A job answered (or given up on): the totals and its operation's counts, for the stats and metrics. */
  private void count(Pending job, boolean ok) {
    if (ok) {
      succeeded++;
    } else {
      failed++;
    }
    ops.computeIfAbsent(job.op(), k -> new OpCounts()).add(ok, System.nanoTime() - job.start());
  }

  /** To a worker (always on this node), JSON goes by reference; a chunk's frame (a Buffer) takes the event bus's own codec. */
  private static DeliveryOptions options(Object body) {
    return body instanceof JsonObject ? LocalJsonCodec.options() : new DeliveryOptions();
  }

  /** The worker is gone (undeployed, or its node left): its job goes to another one. */
  private void lost(String worker, Pending job) {
    load.remove(worker);
    idle.remove(worker);
    LOG.warn("Image worker {} is gone; {} left", worker, load.size());
    if (stopping) {
      job.request().fail(ErrorCode.BUSY.code, "pixelbus is shutting down; try again later");
      return;
    }
    queue.addFirst(job);
    for (String w : new ArrayList<>(idle)) {
      idle.remove(w);
      fill(w);
    }
  }

  private void relayFailure(Pending job, ReplyException e, Throwable cause) {
    if (e != null && e.failureType() == ReplyFailure.RECIPIENT_FAILURE) {
      job.request().fail(e.failureCode(), e.getMessage());
    } else if (e != null && e.failureType() == ReplyFailure.TIMEOUT) {
      job.request().fail(ErrorCode.INTERNAL.code, "the image worker did not answer within " + workerTimeoutMs
          + " ms (image.workerTimeoutMs)");
    } else {
      job.request().fail(ErrorCode.INTERNAL.code, String.valueOf(cause));
    }
  }

  private JsonObject opsJson() {
    JsonObject json = new JsonObject();
    ops.forEach((op, c) -> json.put(op, new JsonObject().put("requests", c.requests).put("failed", c.failed)
        .put("seconds", c.nanos / 1e9)));
    return json;
  }

  /** Gives a worker the oldest queued job if it is free, and a waiting chunk if it has room; else marks it idle. */
  private void fill(String worker) {
    Integer n = load.get(worker);
    if (n == null || stopping) {
      return;
    }
    dropExpired();
    while (n < MAX_LOAD && !queue.isEmpty() && (n == 0 || (queue.peek().isChunk() && !overdue.contains(worker)))) {
      dispatch(worker, queue.poll());
      n = load.get(worker);
      dropExpired();
    }
    if (n == 0 && !idle.contains(worker)) {
      idle.add(worker);
    }
  }

  /**
   * Jobs at the head of the queue whose caller stopped waiting (a gRPC deadline, sent as the
   * {@link Addresses#DEADLINE_HEADER} header) are answered 504 and never run: the worker goes to a job someone
   * still waits for. A job already running in OpenCV cannot be stopped; it ends, and its reply goes nowhere.
   */
  private void dropExpired() {
    long now = System.currentTimeMillis();
    while (!queue.isEmpty() && expired(queue.peek(), now)) {
      Pending p = queue.poll();
      rejected++;
      p.request().fail(ErrorCode.GATEWAY_TIMEOUT.code, "the caller's deadline passed while the job was queued");
    }
  }

  private static boolean expired(Pending p, long now) {
    String deadline = p.request().headers().get(Addresses.DEADLINE_HEADER);
    if (deadline == null) {
      return false;
    }
    try {
      return Long.parseLong(deadline) <= now;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private JsonObject stats() {
    return new JsonObject().put("workers", load.size()).put("idle", idle.size()).put("queued", queue.size())
        .put("queueCapacity", queueCapacity).put("accepted", accepted).put("succeeded", succeeded).put("failed", failed)
        .put("rejected", rejected).put("busy", busy).put("codec", codec).put("ops", opsJson());
  }
}
