package dev.pixelbus.grpc;

import com.google.protobuf.Descriptors;
import dev.pixelbus.api.Addresses;
import dev.pixelbus.grpc.v1.Download;
import dev.pixelbus.grpc.v1.DownloadEvent;
import dev.pixelbus.grpc.v1.DownloadProgress;
import dev.pixelbus.grpc.v1.DownloadRequest;
import dev.pixelbus.grpc.v1.DownloadSummary;
import dev.pixelbus.grpc.v1.DownloadedFile;
import dev.pixelbus.grpc.v1.FetchGrpcService;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.grpc.common.ServiceName;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerRequest;
import io.vertx.grpc.server.Service;
import java.util.LinkedHashMap;

/**
 * {@code pixelbus.v1.Fetch}: Download as a {@code pixelbus.fetch} job, followed on {@code pixelbus.fetch.progress}
 * and cancelled on {@code pixelbus.fetch.cancel} when the call ends early. The URLs go through the fetch part's
 * request-forgery guard and limits, as for {@code POST /v1/fetch}.
 */
final class FetchService implements Service {
  private static final JobStream FETCH = new JobStream(Addresses.FETCH, Addresses.FETCH_PROGRESS, Addresses.FETCH_CANCEL);

  private final Vertx vertx;
  private final CallGuard guard;
  private final GrpcSettings settings;

  FetchService(Vertx vertx, CallGuard guard, GrpcSettings settings) {
    this.vertx = vertx;
    this.guard = guard;
    this.settings = settings;
  }

  @Override
  public ServiceName name() {
    return FetchGrpcService.SERVICE_NAME;
  }

  @Override
  public Descriptors.ServiceDescriptor descriptor() {
    return FetchGrpcService.SERVICE_DESCRIPTOR;
  }

  @Override
  public void bind(GrpcServer server) {
    server.callHandler(FetchGrpcService.Download, this::download);
  }

  private void download(GrpcServerRequest<DownloadRequest, DownloadEvent> request) {
    GrpcCall<DownloadRequest, DownloadEvent> call = guard.admit(request);
    if (call == null) {
      return;
    }
    request.last().onSuccess(message -> {
      try {
        CallGuard.authorize(call.caller(), Addresses.FETCH);
        FETCH.run(vertx, call, body(message), call.timeoutMs(settings.fetchTimeoutMs()), FetchService::progress,
            FetchService::summary);
      } catch (RuntimeException e) {
        call.fail(e);
      }
    }).onFailure(call::fail);
  }

  /** The bus request of {@code pixelbus.fetch}: the fields a caller left at their zero take the job's defaults. */
  static JsonObject body(DownloadRequest m) {
    JsonArray urls = new JsonArray();
    for (Download d : m.getUrlsList()) {
      JsonObject u = new JsonObject().put("url", d.getUrl());
      if (!d.getOut().isEmpty()) {
        u.put("out", d.getOut());
      }
      if (!d.getChecksum().isEmpty()) {
        u.put("checksum", d.getChecksum());
      }
      urls.add(u);
    }
    JsonObject body = new JsonObject().put("jobId", JobStream.newJobId()).put("urls", urls)
        .put("overwrite", m.getOverwrite()).put("continue", m.getResume()).put("ifModified", m.getIfModified());
    if (!m.getDir().isEmpty()) {
      body.put("dir", m.getDir());
    }
    if (m.getConcurrency() != 0) {
      body.put("concurrency", m.getConcurrency());
    }
    if (!m.getHeadersMap().isEmpty()) {
      body.put("headers", new JsonObject(new LinkedHashMap<>(m.getHeadersMap())));
    }
    if (m.getMaxPerHost() != 0) {
      body.put("maxPerHost", m.getMaxPerHost());
    }
    if (m.getLimitRate() != 0) {
      body.put("limitRate", m.getLimitRate());
    }
    return body;
  }

  static DownloadEvent progress(JsonObject e) {
    DownloadProgress.Builder p = DownloadProgress.newBuilder().setTotal(e.getLong("total", 0L))
        .setDone(e.getLong("done", 0L)).setFailed(e.getLong("failed", 0L)).setBytes(e.getLong("bytes", 0L))
        .setSeconds(e.getDouble("seconds", 0.0)).setRate(e.getDouble("rate", 0.0))
        .setBytesPerSecond(e.getDouble("bytesPerSecond", 0.0));
    JobStream.failures(e.getJsonArray("failures"), "url").forEach(p::addFailures);
    return DownloadEvent.newBuilder().setProgress(p).build();
  }

  static DownloadEvent summary(JsonObject s) {
    DownloadSummary.Builder b = DownloadSummary.newBuilder().setBytes(s.getLong("bytes", 0L))
        .setSeconds(s.getDouble("seconds", 0.0)).setCancelled(s.getBoolean("cancelled", false))
        .setNotFetched(s.getLong("notFetched", 0L)).setRefused(s.getLong("refused", 0L));
    JsonArray files = s.getJsonArray("files", new JsonArray());
    for (Object o : files) {
      if (o instanceof JsonObject f) {
        b.addFiles(DownloadedFile.newBuilder().setUrl(f.getString("url", "")).setFile(f.getString("file", ""))
            .setBytes(f.getLong("bytes", 0L)).setStatus(f.getInteger("status", 0)).setMillis(f.getDouble("millis", 0.0)));
      }
    }
    JobStream.failures(s.getJsonArray("failed"), "url").forEach(b::addFailures);
    return DownloadEvent.newBuilder().setSummary(b).build();
  }
}
