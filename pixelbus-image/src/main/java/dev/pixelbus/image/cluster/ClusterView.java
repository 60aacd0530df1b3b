package dev.pixelbus.image.cluster;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.core.spi.cluster.RegistrationInfo;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What this node can see of its cluster: its own id, and which members serve an address. Vert.x 5
 * has no public API for either, so this is the one place that reaches into its internals
 * ({@code VertxInternal.clusterManager()}); ArchitectureTest keeps it so.
 */
public final class ClusterView {
  private final ClusterManager manager;

  private ClusterView(ClusterManager manager) {
    this.manager = manager;
  }

  public static ClusterView of(Vertx vertx) {
    return new ClusterView(vertx.isClustered() ? ((VertxInternal) vertx).clusterManager() : null);
  }

  public boolean clustered() {
    return manager != null;
  }

  /** This node's id in the cluster; null without a cluster. */
  public String nodeId() {
    return manager == null ? null : manager.getNodeId();
  }

  /** The members of the cluster that have a consumer on {@code address} (those that left are not counted). */
  public Future<Set<String>> servingNodes(String address) {
    Promise<List<RegistrationInfo>> registrations = Promise.promise();
    manager.getRegistrations(address, registrations);
    return registrations.future().map(regs -> {
      Set<String> members = new HashSet<>(manager.getNodes());
      Set<String> serving = new HashSet<>();
      for (RegistrationInfo r : regs) {
        if (members.contains(r.nodeId())) {
          serving.add(r.nodeId());
        }
      }
      return serving;
    });
  }
}
