package dev.pixelbus.image.batch;

import dev.pixelbus.api.ErrorCode;
import dev.pixelbus.api.ImageOp;
import dev.pixelbus.api.LocalJsonCodec;
import dev.pixelbus.api.PixelbusException;
import dev.pixelbus.common.PathPolicy;
import dev.pixelbus.image.chunk.BatchNames;
import dev.pixelbus.image.chunk.Cancellations;
import dev.pixelbus.image.chunk.ChunkAddresses;
import dev.pixelbus.image.chunk.Chunks;
import dev.pixelbus.image.cluster.ChunkCarrier;
import dev.pixelbus.image.ops.OutputFormat;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one batch: lists a folder a page at a time (a folder of 100,000 files is never held in
 * memory whole), and sends its files over the event bus to the image workers in chunks, with a
 * bounded number of chunks in flight. A chunk carries several file names so that the cost of a
 * bus round trip is shared by several images; near the end the chunks shrink so that the workers
 * finish together. Runs on the Vert.x context that calls {@link #run}; the listing runs on a worker
 * thread.
 */
public final class BatchRunner {
  private static final Logger LOG = LoggerFactory.getLogger(BatchRunner.class);
  /** Names fetched from the folder per blocking call; the first page is small so that work starts at once. */
  static final int PAGE = 1024;
  static final int FIRST_PAGE = 64;
  /**
   * The largest chunk. Each chunk costs a round trip through the dispatcher and wakes two event
   * loops; on the 400 seed tiles 64 measured a little better than 32, and guided sizes at the end
   * keep the workers finishing together.
   */
  static final int MAX_CHUNK = 64;
  static final int MIN_CHUNK = 4;
  /** Failures one progress event lists; beyond this they are only counted (the summary has them). */
  static final int MAX_FAILURES_PER_PROGRESS = 100;
  /** Failures kept in the summary; beyond this they are only counted. */
  public static final int MAX_LISTED_FAILURES = 10_000;
  private static final int MAX_ATTEMPTS = 3;
  /**
   * Attempts of a chunk whose images travel as bytes. A node that dies takes its chunks with it, and
   * the event bus may pick it again until the cluster notices it is gone (seconds): each such try
   * costs a chunk timeout.
   */
  private static final int MAX_REMOTE_ATTEMPTS = 6;
  private static final int MAX_BUSY_ATTEMPTS = 120;

  /**
   * @param inputDir    the folder, already confined and resolved
   * @param outputDir   the output folder, already confined, resolved and created
   * @param params      the op's parameters (blockSize, method, ...), without input or output
   * @param format      the output format for every file, or null to keep each input's extension
   * @param parallelism how many chunks the workers may have at once: a chunk per worker plus one waiting
   */
  public record Spec(Path inputDir, Path outputDir, ImageOp op, JsonObject params, OutputFormat format, Integer quality,
                     int parallelism, ChunkCarrier.Remote remote) {
    /** A batch whose chunks name files that this node's workers read and write. */
    public Spec(Path inputDir, Path outputDir, ImageOp op, JsonObject params, OutputFormat format, Integer quality,
                int parallelism) {
      this(inputDir, outputDir, op, params, format, quality, parallelism, null);
    }

    public Spec withRemote(ChunkCarrier.Remote remote) {
      return new Spec(inputDir, outputDir, op, params, format, quality, parallelism, remote);
    }

    public Spec withParallelism(int parallelism) {
      return new Spec(inputDir, outputDir, op, params, format, quality, parallelism, remote);
    }

    public Spec withOutputDir(Path outputDir) {
      return new Spec(inputDir, outputDir, op, params, format, quality, parallelism, remote);
    }

    /**
     * Bytes mode ({@link ChunkCarrier.Remote}) with the settings' limits: {@code inFlight} chunks out at once, or by
     * default at least {@code image.bytesInFlight} and two per local worker.
     */
    public Spec inBytesMode(PathPolicy paths, BatchSettings settings, long chunkTimeoutMs, Integer inFlight, int workers) {
      return withRemote(new ChunkCarrier.Remote(paths, settings.maxInputBytes(), chunkTimeoutMs))
          .withParallelism(inFlight != null ? inFlight : Math.max(settings.bytesInFlight(), 2 * workers));
    }
  }

  /** Whether a batch sends bytes: when asked for, or by default ({@code auto}) in a cluster. */
  public static boolean bytesMode(String mode, boolean clustered) {
    return mode.equals("bytes") || (mode.equals("auto") && clustered);
  }

  /**
   * Where a batch stands. {@code listed} grows while the listing runs; it is the total once
   * {@code listingDone}. {@code failures} are the files that failed since the last progress.
   */
  public record Progress(long done, long failed, long listed, boolean listingDone, double seconds,
                         List<JsonObject> failures) {
    public double imagesPerSecond() {
      return seconds > 0 ? done / seconds : 0;
    }
  }

  /** What a batch did. {@code failures} holds at most {@link #MAX_LISTED_FAILURES}; {@code failed} counts them all. */
  public record Summary(long images, long succeeded, long failed, List<JsonObject> failures, double seconds,
                        JsonObject timings, boolean cancelled) {
    public double imagesPerSecond() {
      return seconds > 0 ? images / seconds : 0;
    }

    public JsonObject toJson() {
      return new JsonObject().put("images", images).put("succeeded", succeeded).put("failedCount", failed)
          .put("failed", new JsonArray(new ArrayList<>(failures))).put("seconds", seconds)
          .put("imagesPerSecond", Math.round(imagesPerSecond() * 10) / 10.0).put("timings", timings)
          .put("cancelled", cancelled);
    }
  }

  /** A chunk's files; in bytes mode, once read, also its frame, which a retry sends again as it is. */
  private record Chunk(List<String> files, int attempt, Buffer frame) {
    Chunk(List<String> files) {
      this(files, 1, null);
    }

    Chunk next() {
      return new Chunk(files, attempt + 1, frame);
    }
  }

  private final Vertx vertx;
  private final Spec spec;
  private final String jobId;
  private final Consumer<Progress> onProgress;
  private final Promise<Summary> result = Promise.promise();
  private final ArrayDeque<String> pending = new ArrayDeque<>();
  private final ArrayDeque<Chunk> retries = new ArrayDeque<>();
  private final List<JsonObject> failures = new ArrayList<>();
  private final double[] timings = new double[Chunks.STEPS.length];
  private final long start = System.nanoTime();
  private DirectoryStream<Path> listing;
  private Iterator<Path> names;
  private boolean listingDone;
  private boolean fetching;
  private long listed;
  private long done;
  private long failed;
  private int inFlight;
  private long backoffMs;
  /** Bytes mode's transport, or null in paths mode. */
  private final ChunkCarrier carrier;
  private boolean waiting;
  private long waitTimer = -1;
  private boolean cancelled;
  /** Failures since the last progress, for the next one. */
  private final List<JsonObject> newFailures = new ArrayList<>();

  private BatchRunner(Vertx vertx, Spec spec, String jobId, Consumer<Progress> onProgress) {
    this.vertx = vertx;
    this.spec = spec;
    this.jobId = jobId;
    this.onProgress = onProgress;
    this.carrier = spec.remote() == null ? null
        : new ChunkCarrier(vertx, spec.remote(), spec.inputDir(), spec.outputDir(), spec.format(), chunkHeader());
  }

  /** Runs the batch; call it on a Vert.x context (an event loop). */
  public static Future<Summary> run(Vertx vertx, Spec spec, Consumer<Progress> onProgress) {
    return start(vertx, spec, UUID.randomUUID().toString(), onProgress).result();
  }

  /** The batch's summary, once it ended (done, failed or cancelled). */
  public Future<Summary> result() {
    return result.future();
  }

  /**
   * Stops the batch: no chunk more is sent, the workers stop after the file at hand, results that
   * come back later are not written. The batch ends as soon as its chunks are back, with what it did
   * so far ({@link Summary#cancelled()}). Call it on the batch's context.
   */
  public void cancel() {
    if (result.future().isComplete() || cancelled) {
      return;
    }
    cancelled = true;
    Cancellations.cancel(vertx, jobId);
    pending.clear();
    retries.clear();
    vertx.cancelTimer(waitTimer);
    waiting = false;
    if (carrier != null) {
      carrier.cancel();
    }
    pump();
  }

  /** Starts the batch with its job id (its chunks carry it, for a cancel); call it on a Vert.x context. */
  public static BatchRunner start(Vertx vertx, Spec spec, String jobId, Consumer<Progress> onProgress) {
    BatchRunner runner = new BatchRunner(vertx, spec, jobId, onProgress);
    // The last page closes the listing; a batch that ends before it (failed, or no workers) closes it
    // here, ordered like the listing's own reads, so after any page being read. Never on the event loop.
    runner.result.future().onComplete(end -> vertx.executeBlocking(() -> {
      runner.closeListing();
      return null;
    }, true));
    runner.result.future().onComplete(end -> Cancellations.forget(vertx, jobId));
    if (spec.remote() == null) {
      runner.fetch();
      return runner;
    }
    runner.result.future().onComplete(done -> runner.carrier.stop());
    runner.carrier.start().onComplete(known -> runner.fetch());
    return runner;
  }

  /** Reads the next page of names on a worker thread. */
  private record Page(List<String> names, boolean last) {
  }

  private void fetch() {
    fetching = true;
    int size = listed == 0 ? FIRST_PAGE : PAGE;
    vertx.executeBlocking(() -> nextPage(size), true).onComplete(ar -> {
      fetching = false;
      if (cancelled) {
        pump();
        return;
      }
      if (ar.failed()) {
        result.tryFail(new PixelbusException(ErrorCode.INTERNAL, "cannot list " + spec.inputDir() + ": " + ar.cause()));
        return;
      }
      Page page = ar.result();
      pending.addAll(page.names());
      listed += page.names().size();
      if (page.last()) {
        listingDone = true;
      }
      pump();
    });
  }

  private Page nextPage(int size) throws IOException {
    if (listing == null) {
      listing = Files.newDirectoryStream(spec.inputDir());
      names = listing.iterator();
    }
    List<String> page = new ArrayList<>(size);
    while (page.size() < size && names.hasNext()) {
      Path p = names.next();
      String name = p.getFileName().toString();
      if (isBatchFile(p)) {
        page.add(name);
      }
    }
    boolean last = !names.hasNext();
    if (last) {
      closeListing();
    }
    return new Page(page, last);
  }

  /** The files of a folder a batch takes: regular files whose names are candidates (not hidden). */
  public static boolean isBatchFile(Path p) {
    return BatchNames.isCandidate(p.getFileName().toString()) && Files.isRegularFile(p);
  }

  /** What every chunk of the batch repeats: {op, params, format?, quality?, jobId}. */
  private JsonObject chunkHeader() {
    return Chunks.template(spec.op(), spec.params(), spec.format(), spec.quality()).put("jobId", jobId);
  }

  private void closeListing() {
    if (listing != null) {
      try {
        listing.close();
      } catch (IOException ignored) {
        // nothing left to read from it
      }
      listing = null;
    }
  }

  /** Sends chunks while there is room, refills the names, and finishes when everything is back. */
  private void pump() {
    if (result.future().isComplete()) {
      return;
    }
    if (cancelled) {
      if (inFlight == 0) {
        finish();
      }
      return;
    }
    if (waiting) {
      return;
    }
    // A send may fail at once and start a pause (waiting): the loops stop there, not only at the top.
    while (!waiting && inFlight < spec.parallelism() && !retries.isEmpty()) {
      send(retries.poll());
    }
    while (!waiting && inFlight < spec.parallelism() && !pending.isEmpty() && (listingDone || pending.size() >= MIN_CHUNK)) {
      send(new Chunk(take(chunkSize())));
    }
    if (!listingDone && !fetching && pending.size() < PAGE) {
      fetch();
    }
    if (listingDone && pending.isEmpty() && retries.isEmpty() && inFlight == 0) {
      finish();
    }
  }

  /**
   * Guided sizes: an equal share of what is known per chunk slot, at most {@link #MAX_CHUNK} and at
   * least {@link #MIN_CHUNK}. At the start this spreads the first page over every worker at once
   * (rather than one full chunk to one worker while the others wait for the next page); at the end
   * the chunks shrink so that the workers finish together.
   */
  private int chunkSize() {
    int share = (int) Math.ceil(pending.size() / (double) spec.parallelism());
    return Math.max(MIN_CHUNK, Math.min(MAX_CHUNK, share));
  }

  private List<String> take(int n) {
    List<String> files = new ArrayList<>(n);
    while (files.size() < n && !pending.isEmpty()) {
      files.add(pending.poll());
    }
    return files;
  }

  private void send(Chunk chunk) {
    if (spec.remote() != null) {
      sendBytes(chunk);
      return;
    }
    inFlight++;
    JsonObject body = Chunks.header(chunkHeader(), chunk.files()).put("inputDir", spec.inputDir().toString());
    if (spec.outputDir() != null) {
      body.put("outputDir", spec.outputDir().toString());
    }
    vertx.eventBus().<JsonObject>request(ChunkAddresses.FILES, body, LocalJsonCodec.options().setSendTimeout(600_000))
        .map(Message::body)
        .onComplete(ar -> done(chunk, ar));
  }

  private void done(Chunk chunk, AsyncResult<JsonObject> ar) {
    inFlight--;
    if (ar.succeeded()) {
      backoffMs = 0;
      record(ar.result());
    } else {
      retryOrFail(chunk, PixelbusException.from(ar.cause()));
    }
    pump();
  }

  /**
   * Bytes mode: the carrier reads the chunk's files on a worker thread (the first time), sends them
   * to a node, and writes the results here.
   */
  private void sendBytes(Chunk chunk) {
    inFlight++;
    Future<Chunk> loaded = chunk.frame() != null ? Future.succeededFuture(chunk)
        : vertx.executeBlocking(() -> carrier.load(chunk.files()), false).map(l -> loaded(l, chunk.attempt()));
    loaded.onComplete(load -> {
      if (load.failed()) {
        done(chunk, Future.failedFuture(load.cause()));
        return;
      }
      // The chunk as loaded (its frame read, the files that did not fit given back) is the one to retry.
      Chunk c = load.result();
      Future<JsonObject> sent = c.files().isEmpty() ? Future.succeededFuture(Chunks.failedOnly(new JsonArray(), 0))
          : carrier.send(c.files(), c.frame(), c.attempt());
      sent.onComplete(ar -> done(c, ar));
    });
  }

  /** Back on the event loop: records the files that could not be read, and gives back those that did not fit. */
  private Chunk loaded(ChunkCarrier.Loaded l, int attempt) {
    List<String> leftover = l.leftover();
    for (int i = leftover.size() - 1; i >= 0; i--) {
      pending.addFirst(leftover.get(i));
    }
    if (!leftover.isEmpty()) {
      vertx.runOnContext(v -> pump()); // a free slot may take them now, not when another chunk comes back
    }
    if (!l.failed().isEmpty() || l.readMs() > 0) {
      record(Chunks.failedOnly(l.failed(), l.readMs()));
    }
    return new Chunk(l.names(), attempt, l.frame());
  }


  private void record(JsonObject reply) {
    done += reply.getInteger("done");
    for (Object f : reply.getJsonArray("failed")) {
      failed++;
      done++;
      if (failures.size() < MAX_LISTED_FAILURES) {
        failures.add((JsonObject) f);
      }
      if (newFailures.size() < MAX_FAILURES_PER_PROGRESS) {
        newFailures.add((JsonObject) f);
      }
    }
    Chunks.addTimings(reply, timings);
    progress();
  }

  /** Tells the listener where the batch stands; the failures since the last call go with it. */
  private void progress() {
    List<JsonObject> since = List.copyOf(newFailures);
    newFailures.clear();
    onProgress.accept(new Progress(done, failed, listed, listingDone, seconds(), since));
  }
  /**
   * A busy dispatcher (503) or a lost reply means: try the chunk again after a pause that doubles
   * up to a second. A refusal of the chunk itself (its parameters or folders) would refuse every
   * chunk, so it ends the batch. A chunk that keeps failing fails its files.
   */
  private void retryOrFail(Chunk chunk, PixelbusException e) {
    if (cancelled) {
      return; // its files are neither done nor failed: the batch stopped before them
    }
    if (!e.is(ErrorCode.BUSY) && !e.is(ErrorCode.INTERNAL)) {
      result.tryFail(e);
      return;
    }
    int limit = e.is(ErrorCode.BUSY) ? MAX_BUSY_ATTEMPTS : spec.remote() != null ? MAX_REMOTE_ATTEMPTS : MAX_ATTEMPTS;
    if (e.is(ErrorCode.BUSY) && chunk.attempt() >= limit) {
      // Busy for about two minutes: no worker to be had. Every other chunk would wait as long, one after
      // another; the batch stops here instead, with what it did so far on disk.
      result.tryFail(new PixelbusException(ErrorCode.BUSY, e.getMessage() + " (still after " + chunk.attempt()
          + " attempts over about two minutes; the batch stops, " + done + " images done)"));
      return;
    }
    if (chunk.attempt() < limit) {
      if (spec.remote() != null && e.is(ErrorCode.INTERNAL)) {
        // In a cluster this is how a dead node shows: say so, the operator may be watching for it.
        LOG.warn("A chunk of {} images failed ({}); sending it again (attempt {} of {})", chunk.files().size(),
            e.getMessage(), chunk.attempt() + 1, limit);
      }
      retries.add(chunk.next());
      backoffMs = Math.min(1000, Math.max(10, backoffMs * 2));
      // One pause at a time, the latest failure's: an older, shorter timer must not end it early.
      waiting = true;
      vertx.cancelTimer(waitTimer);
      waitTimer = vertx.setTimer(backoffMs, id -> {
        waiting = false;
        pump();
      });
      return;
    }
    JsonArray lost = new JsonArray();
    chunk.files().forEach(f -> lost.add(Chunks.failure(f, e.failureCode(),
        e.getMessage() + " (after " + chunk.attempt() + " attempts)")));
    record(Chunks.failedOnly(lost, 0));
  }

  private void finish() {
    double[] rounded = new double[timings.length];
    for (int i = 0; i < timings.length; i++) {
      rounded[i] = Math.round(timings[i] * 100) / 100.0;
    }
    result.tryComplete(new Summary(done, done - failed, failed, failures, seconds(), Chunks.timings(rounded), cancelled));
  }

  private double seconds() {
    return (System.nanoTime() - start) / 1e9;
  }
}
