package dev.pixelbus.fetch;

import dev.pixelbus.api.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.streams.WriteStream;
import java.security.MessageDigest;
import java.util.function.LongConsumer;

/**
 * An {@link AsyncFile} that counts what is written and refuses to go past a size: the pipe from
 * the response then fails, and the download stops instead of filling the disk.
 */
final class LimitedFileStream implements WriteStream<Buffer> {
  private final AsyncFile file;
  private final long maxBytes;
  private final LongConsumer progress;
  /** The digest of what was written, when a checksum is asked for; null otherwise. */
  private final MessageDigest digest;
  /** The job's rate limit, or null. */
  private final Throttle throttle;
  private long written;
  private boolean overLimit;

  LimitedFileStream(AsyncFile file, long maxBytes, LongConsumer progress, MessageDigest digest, Throttle throttle) {
    this.file = file;
    this.maxBytes = maxBytes;
    this.progress = progress;
    this.digest = digest;
    this.throttle = throttle;
  }

  /** The digest of every byte written (once the body is done). */
  byte[] digest() {
    return digest.digest();
  }

  long written() {
    return written;
  }

  boolean overLimit() {
    return overLimit;
  }

  @Override
  public Future<Void> write(Buffer data) {
    if (written + data.length() > maxBytes) {
      overLimit = true;
      return Future.failedFuture(FetchError.of(ErrorCode.TOO_LARGE, "body over the limit of " + maxBytes + " bytes"));
    }
    written += data.length();
    progress.accept(data.length());
    if (digest != null) {
      digest.update(data.getBytes());
    }
    if (throttle != null) {
      throttle.take(data.length());
    }
    return file.write(data);
  }

  @Override
  public Future<Void> end() {
    return file.end();
  }

  @Override
  public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
    file.exceptionHandler(handler);
    return this;
  }

  @Override
  public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
    file.setWriteQueueMaxSize(maxSize);
    return this;
  }

  @Override
  public boolean writeQueueFull() {
    // past the limit the file may be closed already
    return !overLimit && (file.writeQueueFull() || throttle != null && throttle.empty());
  }

  @Override
  public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
    if (throttle == null || handler == null) {
      file.drainHandler(handler);
      return this;
    }
    file.drainHandler(v -> drained(handler));
    throttle.whenAvailable(() -> drained(handler));
    return this;
  }

  /** Either the file or the rate limit let go: the pipe resumes once neither holds it. */
  private void drained(Handler<Void> handler) {
    if (!file.writeQueueFull() && throttle.empty()) {
      throttle.whenAvailable(() -> drained(handler));
    } else if (!writeQueueFull()) {
      handler.handle(null);
    }
  }
}
