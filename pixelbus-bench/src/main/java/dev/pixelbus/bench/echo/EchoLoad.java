package dev.pixelbus.bench.echo;

import dev.pixelbus.common.ProcStat;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.Future;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Runs the load: one {@link LoadShard} per event loop, each owning the connections
 * i ≡ index (mod threads) and all their state. This thread (never an event loop) drives the
 * phases and waits for the event loops' answers.
 */
public final class EchoLoad {
  private static final int MAX_ERRORS_KEPT = 5;

  private EchoLoad() {
  }

  public static LoadResult run(LoadSettings s, PrintStream progress) throws InterruptedException, IOException {
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(s.threads(), NioIoHandler.newFactory());
    LoadShard.Phase phase = new LoadShard.Phase();
    try {
      List<LoadShard> shards = new ArrayList<>();
      long start = System.nanoTime();
      for (int t = 0; t < s.threads(); t++) {
        shards.add(new LoadShard(s, t, phase, MAX_ERRORS_KEPT, group.next()));
      }
      List<Future<Void>> attempted = new ArrayList<>();
      for (LoadShard shard : shards) {
        attempted.add(on(shard, shard::connectAll));
      }
      for (Future<Void> f : attempted) {
        f.sync();
      }
      double connectSeconds = (System.nanoTime() - start) / 1e9;
      LoadShard.Snapshot afterConnect = collect(shards);
      progress.printf("echo-load: %d/%d connections open in %.2f s%s%n", afterConnect.connected(), s.connections(),
          connectSeconds, afterConnect.connectFailures() > 0 ? " (" + afterConnect.connectFailures() + " failed)" : "");
      long ticks = ProcStat.ticksPerSecond();
      if (afterConnect.connected() == 0) {
        return new LoadResult(s, 0, connectSeconds, 0, 0, 0, 0, 0, afterConnect.mismatches(), afterConnect.closed(),
            afterConnect.connectFailures(), 0, null, 0, ticks, 0, afterConnect.firstErrors());
      }
      if (s.idle()) {
        return idle(s, shards, afterConnect.connected(), connectSeconds, ticks, progress);
      }
      for (LoadShard shard : shards) {
        get(shard.loop().submit(shard::begin));
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
      group.shutdownGracefully(0, 2, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
    }
  }

  private static LoadResult idle(LoadSettings s, List<LoadShard> shards, int connected, double connectSeconds,
      long ticks, PrintStream progress) throws InterruptedException {
    progress.printf("echo-load: idle: %d connections open, holding %d s%n", connected, s.idleSeconds());
    Thread.sleep(s.idleSeconds() * 1000L);
    progress.printf("echo-load: idle: sending one line on each of the %d connections%n", connected);
    List<Future<Void>> done = new ArrayList<>();
    for (LoadShard shard : shards) {
      done.add(on(shard, shard::oneLineEach));
    }
    long deadline = System.nanoTime() + (long) (s.replyTimeoutSeconds() * 1e9);
    boolean timedOut = false;
    for (Future<Void> f : done) {
      timedOut |= !f.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    }
    LoadShard.Snapshot snap = collect(shards);
    List<String> errors = new ArrayList<>(snap.firstErrors());
    if (timedOut) {
      errors.add(0, "timed out after " + s.replyTimeoutSeconds() + " s waiting for the replies: " + snap.succeeded()
          + " of " + s.connections() + " came back right");
    }
    return new LoadResult(s, connected, connectSeconds, 0, snap.replies(), 0, 0, 0, snap.mismatches(), snap.closed(),
        snap.connectFailures(), snap.prefixes(), null, 0, ticks, snap.succeeded(), errors);
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

  /** Runs fn on the shard's event loop, and returns the future it makes there. */
  private static <T> Future<T> on(LoadShard shard, Callable<? extends Future<T>> fn) throws InterruptedException {
    return get(shard.loop().submit(fn));
  }

  private static <T> T get(Future<T> f) throws InterruptedException {
    try {
      return f.get();
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
  }

  private static LoadShard.Snapshot collect(List<LoadShard> shards) throws InterruptedException {
    LoadShard.Snapshot all = null;
    for (LoadShard shard : shards) {
      LoadShard.Snapshot one = get(shard.loop().submit(shard::snapshot));
      all = all == null ? one : all.plus(one, MAX_ERRORS_KEPT);
    }
    return all;
  }
}
