package dev.pixelbus.common.auth;

import static dev.pixelbus.common.Checks.require;

import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.ServerSSLOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A listener's {@code tls} section ({@code http.tls}, {@code bridge.tls}): a PEM certificate chain and
 * its private key. Off when both paths are empty.
 *
 * @param certPath      the certificate chain, PEM (the server's certificate first)
 * @param keyPath       its private key, PEM (PKCS#8 or PKCS#1)
 * @param reloadCheckMs how often the files are looked at; when either has changed, new connections get the
 *                      new pair (0: never, a restart takes a new pair)
 */
public record TlsSettings(String certPath, String keyPath, long reloadCheckMs) {
  public TlsSettings {
    certPath = certPath == null ? "" : certPath;
    keyPath = keyPath == null ? "" : keyPath;
    require(reloadCheckMs >= 0, "tls.reloadCheckMs must be 0 or more");
  }

  public static final TlsSettings OFF = new TlsSettings("", "", 0);

  public boolean enabled() {
    return !certPath.isEmpty() || !keyPath.isEmpty();
  }

  /**
   * @param section the listener's section, as {@code http}
   * @param name    its name in messages, as {@code http}
   */
  public static TlsSettings from(JsonObject section, String name) {
    JsonObject c = section.getJsonObject("tls", new JsonObject());
    TlsSettings tls = new TlsSettings(c.getString("certPath", ""), c.getString("keyPath", ""),
        c.getLong("reloadCheckMs", 60_000L));
    require(tls.certPath.isEmpty() == tls.keyPath.isEmpty(),
        name + ".tls: set both certPath and keyPath (PEM files), or neither");
    return tls;
  }

  /**
   * Checks that both files can be read, so that a start stops with the path rather than with the
   * TLS library's words. Blocking (a worker thread, or before Vert.x starts).
   */
  public void checkReadable(String name) {
    for (String[] f : new String[][] {{"certPath", certPath}, {"keyPath", keyPath}}) {
      Path p = Path.of(f[1]);
      require(Files.isRegularFile(p) && Files.isReadable(p),
          name + ".tls." + f[0] + ": cannot read " + p.toAbsolutePath());
    }
  }

  public PemKeyCertOptions keyCert() {
    return new PemKeyCertOptions().setCertPath(certPath).setKeyPath(keyPath);
  }

  /** The options for {@code updateSSLOptions}, as the server's were at start. */
  public ServerSSLOptions sslOptions() {
    return new ServerSSLOptions().setKeyCertOptions(keyCert());
  }

  /** What changes when the pair is replaced: the files' sizes and modification times. */
  public String fingerprint() {
    StringBuilder s = new StringBuilder();
    for (String f : new String[] {certPath, keyPath}) {
      try {
        Path p = Path.of(f);
        s.append(Files.size(p)).append('@').append(Files.getLastModifiedTime(p).toMillis()).append(';');
      } catch (IOException e) {
        s.append("unreadable;");
      }
    }
    return s.toString();
  }
}
