package dev.pixelbus.common.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The start-up routine both TLS listeners share: the order of its steps and what its failures say. The
 * listen is a stand-in here (the HTTP and bridge tests serve real certificates).
 */
@ExtendWith(VertxExtension.class)
class TlsStartupTest {
  @TempDir
  Path tmp;

  private final List<String> steps = new ArrayList<>();

  private TlsReloader reloader(Vertx vertx, TlsSettings tls) {
    return new TlsReloader(vertx, tls, "http", o -> Future.succeededFuture(false));
  }

  private Future<String> listen(Future<String> result) {
    steps.add("listen");
    return result;
  }

  @Test
  void offLeavesTheOptionsAndPassesTheListenThrough(Vertx vertx) {
    NetServerOptions options = new NetServerOptions();
    assertSame(options, TlsStartup.configure(TlsSettings.OFF, options));
    assertFalse(options.isSsl());
    assertEquals("listening", TlsStartup.listen(reloader(vertx, TlsSettings.OFF), () -> listen(Future.succeededFuture("listening")))
        .await());
    IllegalStateException taken = new IllegalStateException("port taken");
    Throwable e = assertThrows(IllegalStateException.class, () -> TlsStartup.listen(reloader(vertx, TlsSettings.OFF),
        () -> listen(Future.failedFuture(taken))).await());
    assertSame(taken, e, "without TLS a listen's failure is passed on as it is");
  }

  @Test
  void onSetsThePairAndNamesTheKeyWhenTheListenFails(Vertx vertx) throws Exception {
    TlsSettings tls = readablePair();
    NetServerOptions options = TlsStartup.configure(tls, new NetServerOptions());
    assertTrue(options.isSsl());
    PemKeyCertOptions pem = assertInstanceOf(PemKeyCertOptions.class, options.getKeyCertOptions());
    assertEquals(List.of(tls.certPath()), pem.getCertPaths());
    assertEquals(List.of(tls.keyPath()), pem.getKeyPaths());

    Throwable e = assertThrows(IllegalArgumentException.class, () -> TlsStartup.listen(reloader(vertx, tls),
        () -> listen(Future.failedFuture(new IllegalStateException("bad PEM")))).await());
    assertEquals("http.tls: cannot serve with " + tls.certPath() + " and " + tls.keyPath() + ": bad PEM", e.getMessage());
  }

  @Test
  void aPairThatCannotBeReadStopsTheStartBeforeAnythingListens(Vertx vertx) {
    Path missing = tmp.resolve("no-such-cert.pem");
    TlsSettings tls = new TlsSettings(missing.toString(), tmp.resolve("no-such-key.pem").toString(), 0);
    Throwable e = assertThrows(IllegalArgumentException.class, () -> TlsStartup.listen(reloader(vertx, tls),
        () -> {
          steps.add("before");
          return Future.succeededFuture();
        }, () -> listen(Future.succeededFuture("listening"))).await());
    assertEquals("http.tls.certPath: cannot read " + missing.toAbsolutePath(), e.getMessage());
    assertEquals(List.of(), steps, "neither the step before the listen nor the listen ran");
  }

  @Test
  void theStepBeforeRunsBetweenTheCheckAndTheListenAndItsFailureIsItsOwn(Vertx vertx) throws Exception {
    TlsSettings tls = readablePair();
    assertEquals("listening", TlsStartup.listen(reloader(vertx, tls), () -> {
      steps.add("before");
      return Future.succeededFuture();
    }, () -> listen(Future.succeededFuture("listening"))).await());
    assertEquals(List.of("before", "listen"), steps);

    IllegalStateException inside = new IllegalStateException("inside bridge");
    Throwable e = assertThrows(IllegalStateException.class, () -> TlsStartup.listen(reloader(vertx, tls),
        () -> Future.failedFuture(inside), () -> listen(Future.succeededFuture("listening"))).await());
    assertSame(inside, e, "not named as a TLS failure");
  }

  /** Two readable files: the routine only checks that they can be read; the TLS library parses them. */
  private TlsSettings readablePair() throws Exception {
    Path cert = Files.writeString(tmp.resolve("cert.pem"), "not parsed here");
    Path key = Files.writeString(tmp.resolve("key.pem"), "not parsed here");
    return new TlsSettings(cert.toString(), key.toString(), 0);
  }
}
