package dev.pixelbus.fetch;

import dev.pixelbus.api.Addresses;
import dev.pixelbus.api.ErrorCode;
import dev.pixelbus.api.PixelbusException;
import dev.pixelbus.common.PathPolicy;
import dev.pixelbus.fetch.guard.AddressGuard;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code pixelbus.fetch}: downloads a list of URLs into a folder, publishing progress on
 * {@code pixelbus.fetch.progress}. One HTTP client per scheme, shared by every job: HTTP/1.1 with
 * keep-alive for http, and for https HTTP/2 when the server offers it through ALPN (HTTP/1.1
 * otherwise). Cleartext stays HTTP/1.1 because h2c would cost every plain server an upgrade try.
 */
public final class FetchVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(FetchVerticle.class);
  /** Where a fetch verticle's jobs may reach, on the network and on disk. */
  public enum Destinations {
    /**
     * Jobs come from the network (the server: HTTP, the bridges, the event bus): the request-forgery
     * guard refuses internal addresses unless {@code fetch.allowHosts} lets them ({@code fetch.denyHosts}
     * wins), and a job's {@code dir} must lie in {@code fetch.outputRoot}.
     */
    GUARDED,
    /**
     * Jobs come from this machine's user (the command line): any host the process can reach, any folder
     * the user can write, as their own {@code curl} would.
     */
    UNGUARDED
  }

  private final FetchSettings settings;
  private final Destinations destinations;
  private final int maxJobs;
  private Downloader downloader;
  private MessageConsumer<JsonObject> consumer;
  private int jobs;
  /** The jobs running, by job id, for a cancel. */
  private final Map<String, FetchJob> running = new HashMap<>();
  private long jobsDone;
  private long filesDone;
  private long urlsFailed;
  private long bytesFetched;

  /**
   * @param destinations {@link Destinations#GUARDED} for jobs from the network (the server): {@code dir}
   *                     must lie in {@code fetch.outputRoot}, and the request-forgery guard refuses internal
   *                     addresses; {@link Destinations#UNGUARDED} for this machine's user (the command
   *                     line), who may write anywhere and fetch anything the process can
   */
  public FetchVerticle(FetchSettings settings, Destinations destinations) {
    this.settings = settings;
    this.destinations = destinations;
    this.maxJobs = settings.maxJobs();
  }

  @Override
  public Future<?> start() {
    HttpClientOptions base = new HttpClientOptions()
        .setConnectTimeout(settings.connectTimeoutMs())
        .setKeepAlive(true)
        .setTcpNoDelay(true)
        .setTrustAll(settings.insecure())
        .setVerifyHost(!settings.insecure());
    PoolOptions pool = new PoolOptions()
        .setHttp1MaxSize(settings.maxConcurrency())
        .setHttp2MaxSize(Math.max(1, settings.maxConcurrency() / 100))
        // Connections on several event loops: HTTP parsing and copying are spread over the cores
        // (measured: -11 % on 10,000 small files with 2 loops on 2 cores).
        .setEventLoopSize(settings.eventLoops());
    HttpClient plain = vertx.createHttpClient(new HttpClientOptions(base).setProtocolVersion(HttpVersion.HTTP_1_1), pool);
    HttpClient tls = vertx.createHttpClient(new HttpClientOptions(base).setProtocolVersion(HttpVersion.HTTP_2)
        .setUseAlpn(true), pool);
    AddressGuard guard = guarded() ? new AddressGuard(vertx, settings.hosts()) : null;
    downloader = new Downloader(vertx, plain, tls, settings, guard);
    if (guarded()) {
      // The image server's sources: one URL into memory, through the same guard and clients, one try.
      SourceFetch sources = new SourceFetch(vertx, new Downloader(vertx, plain, tls, settings.forSources(), guard));
      vertx.eventBus().<JsonObject>localConsumer(Addresses.FETCH_SOURCE, sources::handle);
    }
    consumer = vertx.eventBus().localConsumer(Addresses.FETCH, this::handle); // writes to this node's disk
    vertx.eventBus().<JsonObject>localConsumer(Addresses.FETCH_CANCEL, this::cancel);
    vertx.eventBus().localConsumer(Addresses.FETCH_STATS, msg -> msg.reply(new JsonObject().put("jobs", jobsDone)
        .put("running", jobs).put("files", filesDone).put("failed", urlsFailed).put("bytes", bytesFetched)));
    return consumer.completion();
  }

  private boolean guarded() {
    return destinations == Destinations.GUARDED;
  }

  /** Deletes the part files of downloads in flight (the process is being stopped); blocking. */
  public int deletePartsInFlight() {
    return downloader == null ? 0 : downloader.deletePartsInFlight();
  }

  private void handle(Message<JsonObject> message) {
    FetchRequest job;
    try {
      job = FetchRequest.parse(message.body(), settings);
    } catch (PixelbusException e) {
      message.fail(e.failureCode(), e.getMessage());
      return;
    } catch (RuntimeException e) {
      message.fail(ErrorCode.BAD_REQUEST.code, "bad fetch request: " + e.getMessage());
      return;
    }
    if (jobs >= maxJobs) {
      message.fail(ErrorCode.BUSY.code, ErrorCode.FULL + maxJobs + " fetch jobs are running (fetch.maxJobs); try again later");
      return;
    }
    if (running.containsKey(job.jobId())) {
      message.fail(ErrorCode.BAD_REQUEST.code, "a fetch job with jobId " + job.jobId() + " is running already");
      return;
    }
    jobs++;
    // Confining the folder touches the disk (real paths, creation, a write check): not on the event loop.
    vertx.executeBlocking(() -> resolveDir(job.dir()), false).onComplete(dir -> {
      if (dir.succeeded()) {
        run(message, job, dir.result());
        return;
      }
      jobs--;
      if (dir.cause() instanceof PixelbusException e) {
        message.fail(e.failureCode(), e.getMessage());
      } else {
        message.fail(ErrorCode.BAD_REQUEST.code, "bad fetch request: " + dir.cause().getMessage());
      }
    });
  }

  private Path resolveDir(String dirText) {
    return guarded() ? new PathPolicy(List.of(settings.outputRoot()), settings.outputRoot()).resolveOutputDir(dirText)
        : Path.of(dirText).toAbsolutePath().normalize();
  }

  /** {jobId}: the job stops; the reply is its summary so far, once its downloads in flight are gone. */
  private void cancel(Message<JsonObject> message) {
    String jobId = message.body() == null ? null : message.body().getString("jobId");
    FetchJob job = jobId == null ? null : running.get(jobId);
    if (job == null) {
      message.fail(ErrorCode.NOT_FOUND.code, "no fetch job is running with jobId " + jobId);
      return;
    }
    job.cancel();
    job.result().onSuccess(reply -> message.reply(reply.copy().put("jobId", jobId)))
        .onFailure(e -> message.fail(PixelbusException.from(e).failureCode(), e.getMessage()));
  }

  private void run(Message<JsonObject> message, FetchRequest job, Path dir) {
    String id = job.jobId();
    // The command line prints its own progress and table; the server logs each job.
    if (guarded()) {
      LOG.info("fetch {}: {} URLs into {}, {} at once", id, job.urls().size(), dir, job.options().concurrency());
    }
    FetchJob fetch = new FetchJob(vertx, downloader, job.urls(), dir, job.options(),
        p -> vertx.eventBus().publish(Addresses.FETCH_PROGRESS, p.toJson().put("jobId", id)));
    running.put(id, fetch);
    if (!job.replyAtEnd()) {
      message.reply(new JsonObject().put("jobId", id));
    }
    fetch.run()
        .onComplete(ar -> {
          running.remove(id);
          jobs--;
          jobsDone++;
          if (ar.succeeded()) {
            JsonObject reply = ar.result().put("jobId", id);
            filesDone += reply.getJsonArray("files").size();
            urlsFailed += reply.getJsonArray("failed").size();
            bytesFetched += reply.getLong("bytes");
            if (guarded()) {
              LOG.info("fetch {}: {} files, {} failed, {} bytes in {} s", id, reply.getJsonArray("files").size(),
                  reply.getJsonArray("failed").size(), reply.getLong("bytes"), reply.getDouble("seconds"));
            }
            if (job.replyAtEnd() && everyUrlRefused(reply)) {
              JsonArray failed = reply.getJsonArray("failed");
              message.fail(ErrorCode.FORBIDDEN.code, failed.getJsonObject(0).getString("message")
                  + (failed.size() > 1 ? " (and the " + (failed.size() - 1) + " other URLs too)" : ""));
            } else if (job.replyAtEnd()) {
              message.reply(reply);
            }
          } else if (job.replyAtEnd()) {
            FetchError e = FetchError.classify(ar.cause());
            message.fail(e.failureCode(), e.getMessage());
          }
        });
  }

  /** A job the guard refused whole answers 403, as one URL would; a job with any other outcome lists its refusals. */
  private static boolean everyUrlRefused(JsonObject reply) {
    int refused = reply.getInteger("refused", 0);
    return refused > 0 && refused == reply.getJsonArray("failed").size() && reply.getJsonArray("files").isEmpty();
  }
}
