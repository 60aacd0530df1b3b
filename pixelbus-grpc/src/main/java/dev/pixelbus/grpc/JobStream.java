package dev.pixelbus.grpc;

import dev.pixelbus.grpc.v1.Failure;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/**
 * A long job of the event bus (a batch, a fetch job) as a server stream: its progress events, published for every
 * job on one address, are followed for this job's id alone; the request's reply, its summary, is the last message.
 * A call that ends early (the caller cancels, its deadline passes, its connection drops) cancels the job on its
 * cancel address, so that nothing keeps running for a caller that is gone.
 *
 * @param address         where the job is asked for ({@code wait: true}: the reply is its summary)
 * @param progressAddress where every job's progress is published ({jobId, finished, ...})
 * @param cancelAddress   where a job is stopped by its id
 */
record JobStream(String address, String progressAddress, String cancelAddress) {

  /** A new job id, for this call alone: the events of other jobs on the same address are not this caller's. */
  static String newJobId() {
    return "grpc-" + UUID.randomUUID();
  }

  /**
   * @param body     the job's request, with its {@code jobId}
   * @param progress a progress event as the stream's message
   * @param summary  the summary as the stream's last message
   */
  <Req, Resp> void run(Vertx vertx, GrpcCall<Req, Resp> call, JsonObject body, long timeoutMs,
                       Function<JsonObject, Resp> progress, Function<JsonObject, Resp> summary) {
    String jobId = body.getString("jobId");
    Runnable cancel = () -> vertx.eventBus().request(cancelAddress, new JsonObject().put("jobId", jobId));
    // Local: the job runs on this node (its folders are this node's), and publishes from here. The consumer lives
    // as long as the job: a progress event after the call ended means the cancel came before the job had its id
    // (it checks its folders first), so the cancel goes again.
    MessageConsumer<JsonObject> events = vertx.eventBus().localConsumer(progressAddress, msg -> {
      JsonObject event = msg.body();
      if (event == null || !jobId.equals(event.getString("jobId")) || event.getBoolean("finished", false)) {
        return;
      }
      if (call.over()) {
        cancel.run();
      } else {
        // A progress event the caller cannot take yet is skipped: the next one says more.
        call.write(progress.apply(event), true);
      }
    });
    call.onAbort(cancel);
    events.completion()
        .compose(v -> call.over() ? Future.failedFuture("the call ended before its job was asked for")
            : vertx.eventBus().<JsonObject>request(address, body.put("wait", true),
                new DeliveryOptions().setSendTimeout(timeoutMs)))
        .map(Message::body)
        .onComplete(ar -> {
          events.unregister();
          if (ar.succeeded()) {
            call.end(summary.apply(ar.result()));
          } else {
            if (ar.cause() instanceof ReplyException re && re.failureType() == ReplyFailure.TIMEOUT) {
              // No summary in time (the caller's deadline, or the configured limit): the job goes too.
              cancel.run();
            }
            call.fail(ar.cause());
          }
        });
  }

  /** {item, code, message} of a JSON list of failures, whose item is named {@code itemField} there. */
  static List<Failure> failures(JsonArray list, String itemField) {
    List<Failure> out = new ArrayList<>();
    if (list == null) {
      return out;
    }
    for (Object o : list) {
      if (o instanceof JsonObject f) {
        out.add(Failure.newBuilder().setItem(f.getString(itemField, "")).setCode(f.getInteger("code", 0))
            .setMessage(f.getString("message", "")).build());
      }
    }
    return out;
  }
}
