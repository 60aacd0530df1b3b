package dev.pixelbus.image.chunk;

import io.vertx.core.Vertx;
import io.vertx.core.shareddata.LocalMap;

/**
 * The batches of this node that were cancelled and whose chunks may still be on a worker: a worker
 * looks before each file, so a cancelled batch stops after the file at hand, never in the middle of
 * one (a result is written whole or not at all).
 */
public final class Cancellations {
  private static final String MAP = "pixelbus.image.batch.cancelled";

  private Cancellations() {
  }

  public static void cancel(Vertx vertx, String jobId) {
    map(vertx).put(jobId, Boolean.TRUE);
  }

  public static boolean cancelled(Vertx vertx, String jobId) {
    return jobId != null && map(vertx).containsKey(jobId);
  }

  /** The batch is over: its chunks are all back. */
  public static void forget(Vertx vertx, String jobId) {
    map(vertx).remove(jobId);
  }

  private static LocalMap<String, Boolean> map(Vertx vertx) {
    return vertx.sharedData().getLocalMap(MAP);
  }
}
