package dev.pixelbus.app.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.config.Config;
import com.hazelcast.config.XmlConfigBuilder;
import com.hazelcast.spi.properties.ClusterProperty;
import com.hazelcast.spi.properties.HazelcastProperties;
import java.io.File;
import java.io.FileInputStream;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * conf/cluster.xml is read by every member of a cluster, pixelbus or not. A member whose class path has
 * no SLF4J (another team's application: vertx-core, vertx-hazelcast, pixelbus-api) must start from it,
 * and pixelbus's own JVM must still log Hazelcast through SLF4J. The tests run from the repository's
 * root (the module's surefire working folder), where conf/ is.
 */
@Timeout(120)
class ClusterXmlTest {
  private static final Path CLUSTER_XML = Path.of("conf", "cluster.xml");

  @TempDir
  Path tmp;

  /** These tests change JVM-wide properties; other tests in this JVM get them back as they were. */
  private String savedConfig;
  private String savedLogging;

  @BeforeEach
  void save() {
    savedConfig = System.getProperty(ConfigLoader.HAZELCAST_CONFIG);
    savedLogging = System.getProperty(ConfigLoader.HAZELCAST_LOGGING);
  }

  @AfterEach
  void restore() {
    set(ConfigLoader.HAZELCAST_CONFIG, savedConfig);
    set(ConfigLoader.HAZELCAST_LOGGING, savedLogging);
  }

  @Test
  void theSharedFileChoosesNoLoggingLibrary() throws Exception {
    assertNull(shipped().getProperty(ConfigLoader.HAZELCAST_LOGGING),
        "conf/cluster.xml must not set hazelcast.logging.type: every member reads it, with its own class path");
  }

  @Test
  void pixelbusLogsHazelcastThroughSlf4jInItsOwnJvmOnly() throws Exception {
    System.clearProperty(ConfigLoader.HAZELCAST_LOGGING);
    ConfigLoader.useClusterXml();
    // What a member of this JVM builds its logging from: the file's properties, then the JVM's.
    assertEquals("slf4j", new HazelcastProperties(shipped()).getString(ClusterProperty.LOGGING_TYPE));
    assertTrue(System.getProperty(ConfigLoader.HAZELCAST_CONFIG, "").endsWith(File.separator + CLUSTER_XML),
        "the launcher joins with conf/cluster.xml");

    System.setProperty(ConfigLoader.HAZELCAST_LOGGING, "jdk");
    ConfigLoader.useClusterXml();
    assertEquals("jdk", System.getProperty(ConfigLoader.HAZELCAST_LOGGING), "an operator's -Dhazelcast.logging.type is kept");
  }

  /**
   * A Hazelcast member in a class loader of its own, with Hazelcast's jar and nothing else (no SLF4J,
   * no logback), started from the shipped file under a cluster name of its own. With
   * {@code hazelcast.logging.type=slf4j} in the file it failed with NoClassDefFoundError: org/slf4j/LoggerFactory.
   */
  @Test
  void aMemberWithNoSlf4jOnItsClassPathStartsFromTheSharedFile() throws Exception {
    URL[] hazelcastOnly = Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(entry -> Path.of(entry).getFileName().toString().matches("hazelcast-\\d.*\\.jar"))
        .map(ClusterXmlTest::url).toArray(URL[]::new);
    assertEquals(1, hazelcastOnly.length, "Hazelcast's jar on the test class path");
    // The member's JVM sets no logging type (the property is JVM-wide: another test may have set it here).
    System.clearProperty(ConfigLoader.HAZELCAST_LOGGING);
    // Hazelcast's own default is java.util.logging, which would print the join's INFO and WARNING lines here.
    Logger jul = Logger.getLogger("com.hazelcast");
    Level julLevel = jul.getLevel();
    jul.setLevel(Level.SEVERE);
    try (URLClassLoader member = new URLClassLoader(hazelcastOnly, ClassLoader.getPlatformClassLoader())) {
      assertThrows(ClassNotFoundException.class, () -> member.loadClass("org.slf4j.LoggerFactory"), "no SLF4J in there");
      Object instance = startMember(member, privateCopy());
      try {
        Object loggingService = call(member, "com.hazelcast.core.HazelcastInstance", instance, "getLoggingService");
        Object logger = member.loadClass("com.hazelcast.logging.LoggingService").getMethod("getLogger", String.class)
            .invoke(loggingService, "pixelbus.test");
        assertFalse(logger.getClass().getName().contains("Slf4j"), logger.getClass().getName());
      } finally {
        call(member, "com.hazelcast.core.HazelcastInstance", instance, "shutdown");
      }
    } finally {
      jul.setLevel(julLevel);
    }
  }

  private static Config shipped() throws Exception {
    try (InputStream xml = new FileInputStream(CLUSTER_XML.toFile())) {
      return new XmlConfigBuilder(xml).build();
    }
  }

  /** The shipped file with a cluster name of this test's own, as scripts/cluster-common.sh's private_cluster makes it. */
  private Path privateCopy() throws Exception {
    String xml = Files.readString(CLUSTER_XML);
    String name = "pixelbus-test-" + UUID.randomUUID();
    String renamed = xml.replace("<cluster-name>pixelbus</cluster-name>", "<cluster-name>" + name + "</cluster-name>");
    assertTrue(renamed.contains(name), "conf/cluster.xml names its cluster pixelbus");
    Path copy = tmp.resolve("cluster.xml");
    Files.writeString(copy, renamed);
    return copy;
  }

  /** {@code Hazelcast.newHazelcastInstance(new XmlConfigBuilder(xml).build())}, inside {@code member}. */
  private static Object startMember(ClassLoader member, Path xml) throws Exception {
    Class<?> configClass = member.loadClass("com.hazelcast.config.Config");
    Object config = call(member, "com.hazelcast.config.XmlConfigBuilder",
        member.loadClass("com.hazelcast.config.XmlConfigBuilder").getConstructor(String.class).newInstance(xml.toString()),
        "build");
    // Alone in its cluster: no need to wait 5 s for others.
    configClass.getMethod("setProperty", String.class, String.class).invoke(config, "hazelcast.wait.seconds.before.join", "1");
    Method start = member.loadClass("com.hazelcast.core.Hazelcast").getMethod("newHazelcastInstance", configClass);
    try {
      return start.invoke(null, config);
    } catch (InvocationTargetException e) {
      throw new AssertionError("a member with no SLF4J could not start from conf/cluster.xml: " + e.getCause(), e.getCause());
    }
  }

  /** A method without arguments, through the public type that declares it (the instance's class may not be public). */
  private static Object call(ClassLoader loader, String type, Object target, String method) throws Exception {
    return loader.loadClass(type).getMethod(method).invoke(target);
  }

  private static URL url(String entry) {
    try {
      return Path.of(entry).toUri().toURL();
    } catch (Exception e) {
      throw new IllegalArgumentException(entry, e);
    }
  }

  private static void set(String key, String value) {
    if (value == null) {
      System.clearProperty(key);
    } else {
      System.setProperty(key, value);
    }
  }
}
