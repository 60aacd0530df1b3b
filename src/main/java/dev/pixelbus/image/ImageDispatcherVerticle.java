package dev.pixelbus.image;

import dev.pixelbus.bus.Addresses;
import dev.pixelbus.bus.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the public {@code pixelbus.image.*} addresses and hands each request to an idle image
 * worker, so a slow job (faces on a large photo) never holds up small ones while another worker
 * is free. The event bus alone would round-robin requests over the workers whether they are busy
 * or not. Requests wait in a bounded queue while every worker is busy; past its capacity they get
 * 503 at once. Runs on one event loop, so its state needs no locks.
 */
public final class ImageDispatcherVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(ImageDispatcherVerticle.class);
  /** The request header that tells a worker which operation to run. */
  public static final String OP_HEADER = "op";

  private record Pending(ImageOp op, Message<JsonObject> request) {
  }

  private final ArrayDeque<String> idle = new ArrayDeque<>();
  private final Set<String> workers = new HashSet<>();
  private final ArrayDeque<Pending> queue = new ArrayDeque<>();
  private int queueCapacity;
  private long workerTimeoutMs;
  private long accepted;
  private long succeeded;
  private long failed;
  private long rejected;
  private int busy;
  private boolean stopping;
  private io.vertx.core.Promise<Void> drained;
  private final List<io.vertx.core.eventbus.MessageConsumer<JsonObject>> consumers = new ArrayList<>();

  @Override
  public Future<?> start() {
    queueCapacity = config().getInteger("queueCapacity", 256);
    workerTimeoutMs = config().getLong("workerTimeoutMs", 120_000L);
    EventBus eb = vertx.eventBus();
    List<Future<Void>> ready = new ArrayList<>();
    for (ImageOp op : ImageOp.values()) {
      consumers.add(eb.consumer(Addresses.imageOp(op.label()), msg -> accept(op, msg)));
    }
    consumers.add(eb.consumer(Addresses.IMAGE_WORKER_REGISTER, this::register));
    consumers.add(eb.consumer(Addresses.IMAGE_STATS, msg -> msg.reply(stats())));
    consumers.forEach(c -> ready.add(c.completion()));
    return Future.all(ready);
  }

  /**
   * Stops taking requests, fails the queued ones with 503, and waits for the jobs the workers are
   * running, so that every accepted request gets a reply. Vert.x stops the workers in parallel; each
   * finishes its current job before it stops.
   */
  @Override
  public Future<?> stop() {
    stopping = true;
    consumers.forEach(io.vertx.core.eventbus.MessageConsumer::unregister);
    Pending p;
    while ((p = queue.poll()) != null) {
      rejected++;
      p.request().fail(ErrorCode.BUSY.code, "pixelbus is shutting down; try again later");
    }
    if (busy == 0) {
      return Future.succeededFuture();
    }
    drained = io.vertx.core.Promise.promise();
    LOG.info("Waiting for {} image jobs to finish", busy);
    return drained.future();
  }

  private void accept(ImageOp op, Message<JsonObject> msg) {
    accepted++;
    String worker = idle.poll();
    if (worker != null) {
      dispatch(worker, new Pending(op, msg));
    } else if (queue.size() < queueCapacity) {
      queue.add(new Pending(op, msg));
    } else {
      rejected++;
      msg.fail(ErrorCode.BUSY.code, "busy: all " + workers.size() + " image workers are working and " + queue.size()
          + " requests are queued (image.queueCapacity); try again later");
    }
  }

  private void register(Message<JsonObject> msg) {
    String address = msg.body().getString("address");
    if (workers.add(address)) {
      release(address);
    }
    msg.reply(new JsonObject().put("workers", workers.size()));
  }

  private void dispatch(String worker, Pending job) {
    busy++;
    DeliveryOptions options = new DeliveryOptions().addHeader(OP_HEADER, job.op().label()).setSendTimeout(workerTimeoutMs);
    vertx.eventBus().<JsonObject>request(worker, job.request().body(), options).onComplete(ar -> {
      busy--;
      if (stopping && busy == 0 && drained != null) {
        drained.tryComplete();
      }
      if (ar.succeeded()) {
        succeeded++;
        job.request().reply(ar.result().body());
        release(worker);
        return;
      }
      ReplyException e = ar.cause() instanceof ReplyException re ? re : null;
      if (e != null && e.failureType() == ReplyFailure.NO_HANDLERS) {
        // The worker is gone (undeployed, or its node left): try the job on another one.
        workers.remove(worker);
        LOG.warn("Image worker {} is gone; {} left", worker, workers.size());
        if (stopping) {
          job.request().fail(ErrorCode.BUSY.code, "pixelbus is shutting down; try again later");
        } else {
          queue.addFirst(job);
          drain();
        }
        return;
      }
      failed++;
      if (e != null && e.failureType() == ReplyFailure.RECIPIENT_FAILURE) {
        job.request().fail(e.failureCode(), e.getMessage());
      } else if (e != null && e.failureType() == ReplyFailure.TIMEOUT) {
        job.request().fail(ErrorCode.INTERNAL.code, "the image worker did not answer within " + workerTimeoutMs
            + " ms (image.workerTimeoutMs)");
      } else {
        job.request().fail(ErrorCode.INTERNAL.code, String.valueOf(ar.cause()));
      }
      release(worker);
    });
  }

  /** A worker is free: give it the oldest queued job, or mark it idle. */
  private void release(String worker) {
    if (!workers.contains(worker) || stopping) {
      return;
    }
    Pending next = queue.poll();
    if (next != null) {
      dispatch(worker, next);
    } else {
      idle.add(worker);
    }
  }

  private void drain() {
    String worker;
    while (!queue.isEmpty() && (worker = idle.poll()) != null) {
      dispatch(worker, queue.poll());
    }
  }

  private JsonObject stats() {
    return new JsonObject().put("workers", workers.size()).put("idle", idle.size()).put("queued", queue.size())
        .put("queueCapacity", queueCapacity).put("accepted", accepted).put("succeeded", succeeded).put("failed", failed)
        .put("rejected", rejected).put("busy", busy);
  }
}
