package dev.pixelbus.app.config;

import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the configuration in layers, each overriding the one before:
 * <ol>
 *   <li>the defaults built into the jar (a copy of {@code conf/config.json});</li>
 *   <li>{@code conf/config.json} in the working folder, when present and no {@code -conf} was given;</li>
 *   <li>the {@code -conf} file or JSON text;</li>
 *   <li>single keys from system properties and environment variables ({@link ConfigOverrides}).</li>
 * </ol>
 */
public final class ConfigLoader {
  private static final Logger LOG = LoggerFactory.getLogger(ConfigLoader.class);
  public static final String DEFAULTS_RESOURCE = "dev/pixelbus/config.json";
  public static final String DEFAULT_FILE = "conf/config.json";

  private ConfigLoader() {
  }

  /**
   * @param given the configuration from {@code -conf} (or a test), empty when none was given
   */
  public static Future<JsonObject> load(Vertx vertx, JsonObject given) {
    JsonObject defaults = defaults();
    ConfigRetrieverOptions options = new ConfigRetrieverOptions().setScanPeriod(0)
        .addStore(new ConfigStoreOptions().setType("json").setConfig(defaults));
    if (given == null || given.isEmpty()) {
      // Present, it must parse: an optional store that fails is read as {} without a word, and the
      // server would start on the defaults after a stray comma.
      if (Files.exists(Path.of(DEFAULT_FILE))) {
        options.addStore(new ConfigStoreOptions().setType("file").setOptional(false)
            .setConfig(new JsonObject().put("path", DEFAULT_FILE)));
      }
    } else {
      options.addStore(new ConfigStoreOptions().setType("json").setConfig(given));
    }
    ConfigRetriever retriever = ConfigRetriever.create(vertx, options);
    return retriever.getConfig().eventually(retriever::close)
        .recover(e -> Future.failedFuture(new IllegalArgumentException("cannot read the configuration"
            + (given == null || given.isEmpty() ? " " + Path.of(DEFAULT_FILE).toAbsolutePath() : "")
            + ": " + e.getMessage(), e)))
        .map(merged -> {
      List<String> unknownKeys = ConfigShape.check(defaults, merged);
      if (!unknownKeys.isEmpty()) {
        LOG.warn("Ignoring {}: no such configuration key", unknownKeys);
      }
      Map<String, String> props = new HashMap<>();
      System.getProperties().forEach((k, v) -> props.put(String.valueOf(k), String.valueOf(v)));
      ConfigOverrides.Result r = ConfigOverrides.apply(merged, System.getenv(), props);
      if (!r.applied().isEmpty()) {
        LOG.info("Configuration overridden by {}", r.applied());
      }
      if (!r.unknown().isEmpty()) {
        LOG.warn("Ignoring {}: no such configuration key", r.unknown());
      }
      return r.config();
    });
  }

  /** The defaults built into the jar. */
  public static JsonObject defaults() {
    try (var in = ConfigLoader.class.getClassLoader().getResourceAsStream(DEFAULTS_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(DEFAULTS_RESOURCE + " is missing from the classpath");
      }
      return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Before this JVM joins a cluster ({@code -cluster}, {@code batch --cluster}): Hazelcast's configuration
   * from conf/cluster.xml in the working folder (loopback, no multicast: a cluster on one machine), unless
   * -Dvertx.hazelcast.config names another; and Hazelcast's logging through SLF4J (so logback, with
   * {@link dev.pixelbus.app.LogSetup}'s levels), unless -Dhazelcast.logging.type says otherwise.
   *
   * <p>The logging type is set here, for this JVM only, and not in conf/cluster.xml: every member of the
   * cluster reads that file, and a member with no SLF4J on its class path (another team's application)
   * could not start with {@code slf4j} in it. A property set in the file would also win over this one.
   */
  public static void useClusterXml() {
    if (System.getProperty(HAZELCAST_CONFIG) == null && Files.isRegularFile(CLUSTER_XML)) {
      System.setProperty(HAZELCAST_CONFIG, CLUSTER_XML.toAbsolutePath().toString());
    }
    if (System.getProperty(HAZELCAST_LOGGING) == null) {
      System.setProperty(HAZELCAST_LOGGING, "slf4j");
    }
  }

  static final String HAZELCAST_CONFIG = "vertx.hazelcast.config";
  static final String HAZELCAST_LOGGING = "hazelcast.logging.type";
  private static final Path CLUSTER_XML = Path.of("conf", "cluster.xml");
}
