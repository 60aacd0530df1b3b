package dev.pixelbus.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pixelbus.api.PixelbusException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The one parser of {@code pixelbus.fetch} requests, against every shape its callers send. */
class FetchRequestTest {
  private static final FetchSettings SETTINGS = FetchSettings.from(new JsonObject().put("fetch",
      new JsonObject().put("maxUrls", 3).put("maxConcurrency", 8).put("concurrency", 4)));

  private static PixelbusException refused(JsonObject request) {
    return assertThrows(PixelbusException.class, () -> FetchRequest.parse(request, SETTINGS));
  }

  /** POST /v1/fetch with a JSON list: the HTTP API sends {urls, dir: "http"} and nothing else. */
  @Test
  void aListAsTheHttpApiShapesIt() {
    FetchRequest r = FetchRequest.parse(new JsonObject().put("urls", new JsonArray().add("http://a/x").add("http://b/y"))
        .put("dir", "http"), SETTINGS);
    assertEquals(List.of(FetchItem.of("http://a/x"), FetchItem.of("http://b/y")), r.urls());
    assertEquals("http", r.dir());
    assertEquals(new JobOptions(false, 4, 0, 0, false, false), r.options(), "the configured concurrency, no options");
    assertTrue(r.replyAtEnd());
    assertFalse(r.jobId().isBlank(), "a new job id");
  }

  /** POST /v1/fetch with text/plain: {inputFile, dir: "http"}, an empty body as "". */
  @Test
  void anInputFileAsTheHttpApiShapesIt() {
    FetchRequest r = FetchRequest.parse(new JsonObject().put("inputFile", "http://a/x\n  out=first.txt\n  header=X-T: 1\n")
        .put("dir", "http").put("headers", new JsonObject().put("X-Job", "j")), SETTINGS);
    assertEquals(List.of(new FetchItem("http://a/x", "first.txt", null, Map.of("X-Job", "j", "X-T", "1"))), r.urls());
    assertTrue(refused(new JsonObject().put("inputFile", "").put("dir", "http")).getMessage().startsWith("urls: a non-empty"));
  }

  /** POST /v1/fetch with an object: every key of the bus request passes through, typed. */
  @Test
  void everyOptionOfAnObjectIsTyped() {
    FetchRequest r = FetchRequest.parse(new JsonObject()
        .put("urls", new JsonArray().add(new JsonObject().put("url", "http://a/x").put("out", "o.html")))
        .put("dir", "http").put("concurrency", 2).put("maxPerHost", 1).put("limitRate", 5_000_000_000L)
        .put("headers", new JsonObject().put("X-Test", "1")).put("ifModified", true).put("jobId", "j-1").put("wait", false),
        SETTINGS);
    assertEquals(new FetchItem("http://a/x", "o.html", null, Map.of("X-Test", "1")), r.urls().get(0));
    assertEquals(new JobOptions(true, 2, 1, 5_000_000_000L, false, true), r.options(), "ifModified implies overwrite");
    assertEquals("j-1", r.jobId());
    assertFalse(r.replyAtEnd());
  }

  /** The command line builds the typed request and sends its JSON: the verticle reads back the same request. */
  @Test
  void theCommandLinesRequestReadsBackAsItWasBuilt() {
    FetchRequest built = new FetchRequest(List.of(FetchItem.of("http://a/x"),
        new FetchItem("http://a/y", "y.bin", Checksum.parse("md5=" + "0".repeat(32)), Map.of("X-H", "v"))),
        "/tmp/out", new JobOptions(true, 3, 2, 1000, true, false), "cli-1", true);
    assertEquals(built, FetchRequest.parse(built.toJson(), SETTINGS));
  }

  @Test
  void aBadKeyIsNamedAnUnknownOneRefusedAndTooManyUrlsAre413() {
    JsonObject ok = new JsonObject().put("urls", new JsonArray().add("http://a/")).put("dir", "x");
    assertTrue(refused(ok.copy().put("speed", 1)).getMessage().contains("[speed]"));
    assertTrue(refused(ok.copy().put("concurrency", "4")).getMessage().startsWith("concurrency must be an integer"));
    assertEquals("concurrency must be 1..8, got 9", refused(ok.copy().put("concurrency", 9)).getMessage());
    assertTrue(refused(ok.copy().put("continue", "yes")).getMessage().startsWith("continue must be true or false"));
    assertTrue(refused(ok.copy().put("continue", true).put("ifModified", true)).getMessage().startsWith("continue and"));
    assertTrue(refused(ok.copy().put("limitRate", -1)).getMessage().startsWith("limitRate must be 0"));
    assertTrue(refused(ok.copy().put("urls", "http://a/")).getMessage().startsWith("urls must be a list"));
    assertTrue(refused(ok.copy().put("dir", " ")).getMessage().startsWith("dir: the folder to write into is required"));
    JsonObject noDir = ok.copy();
    noDir.remove("dir");
    assertTrue(refused(noDir).getMessage().startsWith("dir: the folder to write into is required"));
    assertEquals(400, refused(null).failureCode());
    PixelbusException many = refused(ok.copy().put("urls", new JsonArray().add("http://a/1").add("http://a/2")
        .add("http://a/3").add("http://a/4")));
    assertEquals(413, many.failureCode());
    assertEquals("4 URLs: at most 3 per request", many.getMessage());
  }
}
