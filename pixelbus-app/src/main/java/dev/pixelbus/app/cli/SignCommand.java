package dev.pixelbus.app.cli;

import dev.pixelbus.app.config.ConfigLoader;
import dev.pixelbus.common.UrlSignature;
import dev.pixelbus.web.source.SourceSettings;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Signs an image server URL with the first of {@code http.sources.signingKeys}, read as the server reads its
 * configuration (conf/config.json, -D, PIXELBUS_HTTP_SOURCES_SIGNING_KEYS): the key never passes on a command
 * line, where other users could read it.
 */
@Command(name = "sign", mixinStandardHelpOptions = true,
    description = "Print an image server URL with its signature (sig=HMAC-SHA256 of http.sources.signingKeys' first key).",
    footer = {"", "Example:",
        "  PIXELBUS_HTTP_SOURCES_SIGNING_KEYS=$KEY pixelbus sign \\",
        "      '/v1/images/resize?url=https%3A%2F%2Fexample.com%2Fa.jpg&width=300' --base https://img.example.com",
        "  https://img.example.com/v1/images/resize?url=https%3A%2F%2Fexample.com%2Fa.jpg&width=300&sig=..."})
public final class SignCommand implements Callable<Integer> {
  @Parameters(index = "0", description = "the path and query to sign, as it will be sent: /v1/images/OP?url=...&...")
  String target;

  @Option(names = "--base", description = "print the URL with this scheme and host before the path")
  String base;

  @Override
  public Integer call() {
    if (!target.startsWith("/v1/images/") || !target.contains("url=")) {
      System.err.println("pixelbus sign: the path is /v1/images/OP?url=SOURCE&... (the source URL encoded), not " + target);
      return 2;
    }
    if (target.contains("sig=")) {
      System.err.println("pixelbus sign: the path is signed already (it holds sig=)");
      return 2;
    }
    Vertx vertx = Vertx.vertx();
    try {
      JsonObject config = ConfigLoader.load(vertx, new JsonObject()).await();
      SourceSettings sources = SourceSettings.from(config);
      if (!sources.signed()) {
        System.err.println("pixelbus sign: no key: set http.sources.signingKeys (or PIXELBUS_HTTP_SOURCES_SIGNING_KEYS)");
        return 2;
      }
      String signed = UrlSignature.sign(sources.signingKeys().get(0), target);
      System.out.println(base == null ? signed : base.replaceAll("/+$", "") + signed);
      return 0;
    } catch (RuntimeException e) {
      System.err.println("pixelbus sign: " + e.getMessage());
      return 2;
    } finally {
      vertx.close().await();
    }
  }
}
