package dev.pixelbus.echo.load;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Runs the load: one {@link LoadShard} verticle per event loop, each owning the connections
 * i ≡ index (mod threads) and all their state. This thread (never an event loop) drives the
 * phases and waits with {@code Future.await()}.
 */
public final class EchoLoad {
  private static final int MAX_ERRORS_KEPT = 5;

  private EchoLoad() {
  }

  public static LoadResult run(LoadSettings s, PrintStream progress) throws InterruptedException, IOException {
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(s.threads()).setWorkerPoolSize(1)
        .setInternalBlockingPoolSize(1));
    LoadShard.Phase phase = new LoadShard.Phase();
    try {
      List<LoadShard> shards = new ArrayList<>();
      List<Future<String>> deployed = new ArrayList<>();
      long start = System.nanoTime();
      for (int t = 0; t < s.threads(); t++) {
        LoadShard shard = new LoadShard(s, t, phase, MAX_ERRORS_KEPT);
        shards.add(shard);
        // One deployment per shard: each gets its own event-loop context. start() completes once
        // every connect of the shard has succeeded or failed.
        deployed.add(vertx.deployVerticle(shard));
      }
      Future.all(deployed).await();
      double connectSeconds = (System.nanoTime() - start) / 1e9;
      LoadShard.Snapshot afterConnect = collect(shards);
      progress.printf("echo-load: %d/%d connections open in %.2f s%s%n", afterConnect.connected(), s.connections(),
          connectSeconds, afterConnect.connectFailures() > 0 ? " (" + afterConnect.connectFailures() + " failed)" : "");
      long ticks = ProcStat.ticksPerSecond();
      if (s.idle()) {
        return idle(s, shards, connectSeconds, ticks, progress);
      }
      for (LoadShard shard : shards) {
        on(shard, shard::begin).await();
      }
      Thread.sleep((long) (s.warmupSeconds() * 1000));
      ProcStat server0 = serverStat(s);
      ProcStat client0 = ProcStat.read("self");
      long t0 = System.nanoTime();
      phase.set(LoadShard.Phase.MEASURE);
      Thread.sleep((long) (s.seconds() * 1000));
      phase.set(LoadShard.Phase.COOLDOWN);
      long t1 = System.nanoTime();
      ProcStat server1 = serverStat(s);
      ProcStat client1 = ProcStat.read("self");
      LoadShard.Snapshot snap = collect(shards);
      phase.set(LoadShard.Phase.STOP);
      LatencyHistogram h = snap.histogram();
      return new LoadResult(s, afterConnect.connected(), connectSeconds, (t1 - t0) / 1e9, h.count(),
          h.percentile(50) / 1e3, h.percentile(99) / 1e3, h.max() / 1e3, snap.mismatches(), snap.closed(),
          snap.connectFailures(), snap.measuredPrefixes(),
          server0 == null || server1 == null ? null : server0.microsUntil(server1, ticks),
          client0.microsUntil(client1, ticks), ticks, 0, snap.firstErrors());
    } finally {
      phase.set(LoadShard.Phase.STOP);
      vertx.close().await();
    }
  }

  private static LoadResult idle(LoadSettings s, List<LoadShard> shards, double connectSeconds, long ticks,
      PrintStream progress) throws InterruptedException {
    LoadShard.Snapshot open = collect(shards);
    progress.printf("echo-load: idle: %d connections open, holding %d s%n", open.connected(), s.idleSeconds());
    Thread.sleep(s.idleSeconds() * 1000L);
    progress.printf("echo-load: idle: sending one line on each of the %d connections%n", open.connected());
    List<Future<Void>> done = new ArrayList<>();
    for (LoadShard shard : shards) {
      done.add(on(shard, shard::oneLineEach).compose(f -> f));
    }
    String timeout = null;
    try {
      Future.all(done).await((long) (s.replyTimeoutSeconds() * 1000), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      timeout = "timed out after " + s.replyTimeoutSeconds() + " s waiting for the replies";
    }
    LoadShard.Snapshot snap = collect(shards);
    List<String> errors = new ArrayList<>(snap.firstErrors());
    if (timeout != null) {
      errors.add(0, timeout + ": " + snap.succeeded() + " of " + s.connections() + " came back right");
    }
    return new LoadResult(s, open.connected(), connectSeconds, 0, snap.replies(), 0, 0, 0, snap.mismatches(),
        snap.closed(), snap.connectFailures(), snap.prefixes(), null, 0, ticks, snap.succeeded(), errors);
  }

  private static ProcStat serverStat(LoadSettings s) {
    if (s.serverPid() == null) {
      return null;
    }
    try {
      return ProcStat.read(s.serverPid());
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** Runs fn on the shard's event loop; the future completes with its value. */
  static <T> Future<T> on(LoadShard shard, Supplier<T> fn) {
    Promise<T> p = Promise.promise();
    shard.context().runOnContext(v -> {
      try {
        p.complete(fn.get());
      } catch (RuntimeException e) {
        p.fail(e);
      }
    });
    return p.future();
  }

  private static LoadShard.Snapshot collect(List<LoadShard> shards) {
    LoadShard.Snapshot all = null;
    for (LoadShard shard : shards) {
      LoadShard.Snapshot one = on(shard, shard::snapshot).await();
      all = all == null ? one : all.plus(one, MAX_ERRORS_KEPT);
    }
    return all;
  }
}
