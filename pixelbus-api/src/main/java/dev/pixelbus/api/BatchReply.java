package dev.pixelbus.api;

import io.vertx.codegen.annotations.DataObject;
import io.vertx.codegen.annotations.GenIgnore;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** What a batch did, when it is over. */
@DataObject
public class BatchReply extends JsonBacked<BatchReply> {
  public BatchReply(JsonObject json) {
    super(json);
  }

  /** The id its progress events carried (on {@code pixelbus.image.batch.progress}). */
  public String getJobId() {
    return fields().getString("jobId");
  }

  /** Images handled, done or failed. */
  public long getImages() {
    return fields().getLong("images", 0L);
  }

  public long getSucceeded() {
    return fields().getLong("succeeded", 0L);
  }

  /** All the failures, counted; {@link #getFailed()} lists the first 10,000. */
  public long getFailedCount() {
    return fields().getLong("failedCount", 0L);
  }

  @GenIgnore // BatchFailure is a record, not a codegen data object
  public List<BatchFailure> getFailed() {
    List<BatchFailure> failed = new ArrayList<>();
    for (Object f : fields().getJsonArray("failed", new JsonArray())) {
      failed.add(BatchFailure.fromJson((JsonObject) f));
    }
    return failed;
  }

  public double getSeconds() {
    return fields().getDouble("seconds", 0.0);
  }

  public double getImagesPerSecond() {
    return fields().getDouble("imagesPerSecond", 0.0);
  }

  /** Milliseconds per step over all the images: read, decode, op, encode, write. */
  public JsonObject getTimings() {
    return fields().getJsonObject("timings");
  }

}
