package dev.pixelbus.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Two self-signed PEM pairs for 127.0.0.1 and localhost (EC P-256, valid to 2126), for tests of TLS:
 * {@code server}, which the servers under test present, and {@code other}, a certificate a client
 * may trust by mistake. Made with {@code openssl req -x509 -newkey ec ...} (see tls/README).
 */
public final class TestTls {
  /** A certificate and its key, copied to files. */
  public record Pair(Path cert, Path key) {
  }

  private TestTls() {
  }

  public static Pair copy(String name, Path dir) {
    return new Pair(copyResource("tls/" + name + "-cert.pem", dir.resolve(name + "-cert.pem")),
        copyResource("tls/" + name + "-key.pem", dir.resolve(name + "-key.pem")));
  }

  private static Path copyResource(String resource, Path to) {
    try (InputStream in = TestTls.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalArgumentException("no test resource " + resource);
      }
      Files.createDirectories(to.getParent());
      Files.copy(in, to, StandardCopyOption.REPLACE_EXISTING);
      return to;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
