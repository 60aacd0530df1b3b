package dev.pixelbus.fetch;

import dev.pixelbus.api.ErrorCode;
import dev.pixelbus.api.PixelbusException;
import dev.pixelbus.common.JobIds;
import dev.pixelbus.common.Params;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A {@code pixelbus.fetch} request, typed: the one place that knows its keys. The bus consumer parses it
 * ({@link #parse}); the command line builds one and sends {@link #toJson}; {@code POST /v1/fetch} only
 * shapes an HTTP body into it (a JSON list as {@code urls}, {@code text/plain} as {@code inputFile}, an
 * object as it is, {@code dir} "http" unless given).
 *
 * @param urls       the URLs with what is asked of each; the job's {@code headers} are in every item
 * @param dir        the folder to write into, as given (confined to {@code fetch.outputRoot} for the server)
 * @param options    what the job asks of all its downloads
 * @param jobId      the job's id; null before parsing means a new one
 * @param replyAtEnd {@code wait}: reply with the summary when the job is done, or with its jobId at once
 */
public record FetchRequest(List<FetchItem> urls, String dir, JobOptions options, String jobId, boolean replyAtEnd) {

  public FetchRequest {
    urls = List.copyOf(urls);
  }

  /**
   * Checks a request before anything runs: 400 naming the bad key (an unknown key too), 413 for more
   * URLs than {@code fetch.maxUrls}.
   */
  public static FetchRequest parse(JsonObject body, FetchSettings settings) {
    if (body == null) {
      throw PixelbusException.badRequest("the request must be a JSON object {urls, dir, concurrency?, overwrite?, headers?}");
    }
    Params p = new Params(body, "pixelbus.fetch");
    Object list = p.raw("urls");
    Object text = p.raw("inputFile");
    if (list != null && !(list instanceof JsonArray) || text != null && !(text instanceof String)) {
      throw PixelbusException.badRequest("urls must be a list, inputFile the text of an input file");
    }
    Map<String, String> shared = FetchItem.headers(p.raw("headers"), "headers");
    String dir = p.string("dir", null);
    int concurrency = p.integer("concurrency", settings.concurrency());
    boolean overwrite = p.bool("overwrite", false);
    boolean resume = p.bool("continue", false);
    boolean ifModified = p.bool("ifModified", false);
    int maxPerHost = p.integer("maxPerHost", 0);
    long limitRate = p.longInteger("limitRate", 0L);
    String jobId = JobIds.of(p.string("jobId", null));
    boolean replyAtEnd = p.bool("wait", true);
    p.rejectUnknown();

    List<FetchItem> urls = new ArrayList<>();
    if (list != null) {
      tooMany(((JsonArray) list).size(), settings); // before a single entry is read
      for (Object entry : (JsonArray) list) {
        urls.add(FetchItem.fromJson(entry, shared));
      }
    }
    if (text != null) {
      urls.addAll(InputFile.parse((String) text, shared));
    }
    if (urls.isEmpty()) {
      throw PixelbusException.badRequest("urls: a non-empty list of http or https URLs (or {url, out?, checksum?, headers?}),"
          + " or inputFile: the text of a list (aria2's input format), is required");
    }
    tooMany(urls.size(), settings);
    if (dir == null || dir.isBlank()) {
      throw PixelbusException.badRequest("dir: the folder to write into is required");
    }
    if (concurrency < 1 || concurrency > settings.maxConcurrency()) {
      throw PixelbusException.badRequest("concurrency must be 1.." + settings.maxConcurrency() + ", got " + concurrency);
    }
    if (maxPerHost < 0) {
      throw PixelbusException.badRequest("maxPerHost must be 0 (no cap beyond concurrency) or more, got " + maxPerHost);
    }
    if (limitRate < 0) {
      throw PixelbusException.badRequest("limitRate must be 0 (none) or bytes a second, got " + limitRate);
    }
    if (ifModified && resume) {
      throw PixelbusException.badRequest("continue and ifModified do not go together: one resumes a part, the other"
          + " revalidates a whole file");
    }
    // A conditional fetch replaces its file when the server sends a newer one, as wget -N does.
    JobOptions options = new JobOptions(overwrite || ifModified, concurrency, maxPerHost, limitRate, resume, ifModified);
    return new FetchRequest(urls, dir, options, jobId, replyAtEnd);
  }

  private static void tooMany(int urls, FetchSettings settings) {
    if (urls > settings.maxUrls()) {
      throw new PixelbusException(ErrorCode.TOO_LARGE, urls + " URLs: at most " + settings.maxUrls() + " per request");
    }
  }

  /** The request as the bus carries it; {@link #parse} reads it back. */
  public JsonObject toJson() {
    JsonArray list = new JsonArray();
    urls.forEach(item -> list.add(item.toJson()));
    JsonObject json = new JsonObject().put("urls", list).put("dir", dir).put("concurrency", options.concurrency())
        .put("overwrite", options.overwrite()).put("continue", options.resume()).put("ifModified", options.ifModified())
        .put("maxPerHost", options.maxPerHost()).put("limitRate", options.limitRate()).put("wait", replyAtEnd);
    return jobId == null ? json : json.put("jobId", jobId);
  }
}
