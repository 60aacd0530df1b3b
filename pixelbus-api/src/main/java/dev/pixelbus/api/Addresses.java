package dev.pixelbus.api;

import java.util.List;

/** Every event-bus address pixelbus serves. Each one starts with {@code pixelbus.}. */
public final class Addresses {
  public static final String PREFIX = "pixelbus.";
  public static final String IMAGE = PREFIX + "image.";
  public static final String IMAGE_INFO = IMAGE + "info";
  public static final String IMAGE_GRAYSCALE = IMAGE + "grayscale";
  public static final String IMAGE_THRESHOLD = IMAGE + "threshold";
  public static final String IMAGE_ADAPTIVE = IMAGE + "adaptive";
  public static final String IMAGE_FACES = IMAGE + "faces";
  /** A whole folder: see the README for the request; the reply comes when the batch is done. */
  public static final String IMAGE_BATCH = IMAGE + "batch";
  /** Progress events of every running batch, published. */
  public static final String IMAGE_BATCH_PROGRESS = IMAGE_BATCH + ".progress";
  /** Internal: a chunk of a batch's files for one worker (through the dispatcher). Not for clients. */
  public static final String IMAGE_BATCH_CHUNK = IMAGE_BATCH + ".chunk";
  /**
   * Internal: a chunk of a batch that carries its images (a binary frame), served by the dispatcher
   * of every node of a cluster, so that any node's workers can take a share. Not for clients.
   */
  public static final String IMAGE_BATCH_BYTES = IMAGE_BATCH + ".bytes";
  /** Queue depth and worker counts of the image dispatcher. */
  public static final String IMAGE_STATS = IMAGE + "stats";
  /** Internal: image workers announce their private address here. */
  public static final String IMAGE_WORKER_REGISTER = IMAGE + "worker.register";

  /** Counters of the echo server: active connections, lines and bytes echoed, rejections. */
  public static final String ECHO_STATS = PREFIX + "echo.stats";

  /** Downloads a list of URLs into a folder: {urls, dir, concurrency?, overwrite?}. */
  public static final String FETCH = PREFIX + "fetch";
  /** Totals of the fetch service: jobs, files, failures, bytes. */
  public static final String FETCH_STATS = FETCH + ".stats";
  /** Progress events of every running fetch job, published. */
  public static final String FETCH_PROGRESS = FETCH + ".progress";

  /** The image operations, by the last segment of their address. */
  public static final List<String> IMAGE_OPS = List.of("info", "grayscale", "threshold", "adaptive", "faces");

  private Addresses() {
  }

  /** Internal: the chunks of images for one node's dispatcher, so that a batch knows where each chunk went. */
  public static String imageBatchBytesOn(String nodeId) {
    return IMAGE_BATCH_BYTES + "." + nodeId;
  }

  public static String imageOp(String op) {
    return IMAGE + op;
  }
}
