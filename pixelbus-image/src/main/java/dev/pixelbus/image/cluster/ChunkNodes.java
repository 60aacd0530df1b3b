package dev.pixelbus.image.cluster;

import dev.pixelbus.image.chunk.ChunkAddresses;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The nodes of a cluster whose dispatchers take chunks of images, as one batch sees them, and how
 * many of its chunks each one holds. The batch sends each chunk to the node holding the fewest, at
 * that node's own address, so it always knows where a chunk is: when a node leaves the cluster, the
 * chunks it held go again at once, and no other chunk goes again with them. A node that joins is
 * seen within {@link #POLL_MS} and takes the next chunks. A node that let a chunk time out (hung,
 * or cut off) is passed over for {@link #SUSPECT_NANOS}, or until it answers, while another node
 * can take the work: otherwise, holding nothing, it would look the least busy and get the chunk
 * back. Lives on the batch's event loop.
 */
final class ChunkNodes {
  static final long POLL_MS = 200;
  static final long SUSPECT_NANOS = 30_000_000_000L;

  private final Vertx vertx;
  private final Context context;
  private final ClusterView cluster;
  private final Consumer<String> onLeft;
  private final Map<String, Integer> load = new LinkedHashMap<>();
  /** Nodes that let a chunk time out, and until when they are passed over. */
  private final Map<String, Long> suspects = new HashMap<>();
  private long timer = -1;
  private Future<Void> refreshing;

  /** @param onLeft told of each node that stops serving (it left the cluster, or its dispatcher stopped) */
  ChunkNodes(Vertx vertx, Consumer<String> onLeft) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.cluster = ClusterView.of(vertx);
    this.onLeft = onLeft;
  }

  /** In a cluster, a chunk goes only to a node seen serving: the batch always knows where its chunks are. */
  boolean clustered() {
    return cluster.clustered();
  }

  /** Starts watching; the future completes once the serving nodes are first known. */
  Future<Void> start() {
    if (!cluster.clustered()) {
      return Future.succeededFuture();
    }
    timer = vertx.setPeriodic(POLL_MS, id -> refresh());
    return refresh();
  }

  void stop() {
    vertx.cancelTimer(timer);
  }

  /** The node holding the fewest of this batch's chunks, trusted ones first; null when no node serves. */
  String pick() {
    long now = System.nanoTime();
    suspects.values().removeIf(until -> until - now < 0);
    String best = null;
    boolean bestTrusted = false;
    int least = Integer.MAX_VALUE;
    for (Map.Entry<String, Integer> e : load.entrySet()) {
      boolean trusted = !suspects.containsKey(e.getKey());
      if ((trusted && !bestTrusted) || (trusted == bestTrusted && e.getValue() < least)) {
        best = e.getKey();
        bestTrusted = trusted;
        least = e.getValue();
      }
    }
    return best;
  }

  /** The node let a chunk time out. */
  void timedOut(String node) {
    if (node != null) {
      suspects.put(node, System.nanoTime() + SUSPECT_NANOS);
    }
  }

  /** The node answered a chunk. */
  void answered(String node) {
    if (node != null) {
      suspects.remove(node);
    }
  }

  void sent(String node) {
    if (node != null) {
      load.computeIfPresent(node, (n, k) -> k + 1);
    }
  }

  void back(String node) {
    if (node != null) {
      load.computeIfPresent(node, (n, k) -> Math.max(0, k - 1));
    }
  }

  /** One look at a time: answers that overlapped could arrive out of order, an old view after a new one. */
  private Future<Void> refresh() {
    if (refreshing != null) {
      return refreshing;
    }
    Future<Set<String>> serving = cluster.servingNodes(ChunkAddresses.BYTES);
    Promise<Void> updated = Promise.promise();
    refreshing = updated.future();
    serving.onComplete(ar -> context.runOnContext(v -> {
      try {
        if (ar.succeeded()) {
          update(ar.result());
        }
      } finally {
        refreshing = null;
        updated.complete();
      }
    }));
    return updated.future();
  }

  private void update(Set<String> serving) {
    List<String> left = new ArrayList<>();
    for (String node : load.keySet()) {
      if (!serving.contains(node)) {
        left.add(node);
      }
    }
    left.forEach(node -> {
      load.remove(node);
      suspects.remove(node);
    });
    serving.forEach(node -> load.putIfAbsent(node, 0));
    // Told only now that the view is whole: a chunk sent again from here must not go to a node just leaving.
    left.forEach(onLeft);
  }
}
