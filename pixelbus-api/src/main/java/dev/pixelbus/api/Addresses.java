package dev.pixelbus.api;

import java.util.ArrayList;
import java.util.List;

/**
 * The event-bus addresses of the contract. Each one starts with {@code pixelbus.}; requests and
 * replies are JSON objects (see docs/contract.md), so that a client in any language can use them.
 */
public final class Addresses {
  public static final String PREFIX = "pixelbus.";
  public static final String IMAGE = PREFIX + "image.";
  public static final String IMAGE_INFO = ImageOp.INFO.address();
  public static final String IMAGE_GRAYSCALE = ImageOp.GRAYSCALE.address();
  public static final String IMAGE_THRESHOLD = ImageOp.THRESHOLD.address();
  public static final String IMAGE_ADAPTIVE = ImageOp.ADAPTIVE.address();
  public static final String IMAGE_FACES = ImageOp.FACES.address();
  /** A whole folder; the reply comes when the batch is done. */
  public static final String IMAGE_BATCH = IMAGE + "batch";
  /** Progress events of every running batch, published: {jobId, done, failed, listed, rate, failures, finished}. */
  public static final String IMAGE_BATCH_PROGRESS = IMAGE_BATCH + ".progress";
  /** Stops a batch by its job id ({jobId}); the reply is its summary so far. */
  public static final String IMAGE_BATCH_CANCEL = IMAGE_BATCH + ".cancel";
  /** The folders under the input roots, with how many images each holds: what a batch may be asked of. */
  public static final String IMAGE_FOLDERS = IMAGE + "folders";
  /** Queue depth and worker counts of the image dispatcher. */
  public static final String IMAGE_STATS = IMAGE + "stats";
  /**
   * The table of operations: each one's name, address, parameters (type, default, range or choices,
   * help) and reply fields, as {@code GET /v1/ops} serves it. Any request body; the reply is the table.
   */
  public static final String IMAGE_OPS = IMAGE + "ops";
  /**
   * Signs a source URL for the image server ({path}: {@code /v1/images/OP?url=...}): {path, signed}. Served by the
   * HTTP part, which holds {@code http.sources.signingKeys}; for the page, which shows the URL it would use.
   */
  public static final String IMAGE_SIGN = IMAGE + "sign";
  /** The typed {@link ImageService}, one address for every operation (the method in the header {@code action}). */
  public static final String IMAGE_SERVICE = IMAGE + "service";

  /** Counters of the echo server: active connections, lines and bytes echoed, rejections. */
  public static final String ECHO_STATS = PREFIX + "echo.stats";

  /** Downloads a list of URLs into a folder: {urls, dir, concurrency?, overwrite?}. */
  public static final String FETCH = PREFIX + "fetch";
  /** Totals of the fetch service: jobs, files, failures, bytes. */
  public static final String FETCH_STATS = FETCH + ".stats";
  /** Progress events of every running fetch job, published: {jobId, total, done, failed, bytes, rate, finished}. */
  public static final String FETCH_PROGRESS = FETCH + ".progress";
  /**
   * One URL into memory, for the image server's sources: {url, maxBytes, ifNoneMatch?, ifModifiedSince?,
   * timeoutMs?}; the reply is {status: 200 or 304, body?, etag?, lastModified?, cacheControl?, expires?, date?,
   * contentType?, millis}. Through the request-forgery guard; not open to bridge clients.
   */
  public static final String FETCH_SOURCE = FETCH + ".source";
  /** Stops a fetch job by its job id ({jobId}); the reply is its summary so far. */
  public static final String FETCH_CANCEL = FETCH + ".cancel";

  /**
   * A request header of the image operations: when the caller stops waiting, in ms since the epoch (gRPC calls send
   * their deadline). A job still queued then is answered 504 and never run, so the worker goes to one someone awaits.
   */
  public static final String DEADLINE_HEADER = "deadline";

  /** The addresses a bridge client (TCP or SockJS) may send to, and so get replies from. */
  public static final List<String> REQUESTS = requests();
  /** The addresses a bridge client may register for. */
  public static final List<String> EVENTS = List.of(IMAGE_BATCH_PROGRESS, FETCH_PROGRESS);

  private Addresses() {
  }

  private static List<String> requests() {
    List<String> all = new ArrayList<>();
    for (ImageOp op : ImageOp.values()) {
      all.add(op.address());
    }
    all.addAll(List.of(IMAGE_OPS, IMAGE_SIGN, IMAGE_BATCH, IMAGE_BATCH_CANCEL, IMAGE_FOLDERS, IMAGE_STATS, FETCH, FETCH_CANCEL, FETCH_STATS,
        ECHO_STATS));
    return List.copyOf(all);
  }
}
