package dev.pixelbus.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.EncoderBase;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import org.slf4j.LoggerFactory;

/**
 * Configures logback in code: parsing a logback.xml costs about 0.3 s of every start. Logs go to
 * stderr, so stdout stays clean for the commands' output. {@code -Dlogback.configurationFile=FILE}
 * still takes over, and the level comes from {@code log.level} in the configuration (or, from the
 * first line, {@code -Dpixelbus.log.level} / {@code PIXELBUS_LOG_LEVEL}).
 */
public final class LogSetup extends ContextAwareBase implements Configurator {

  @Override
  public ExecutionStatus configure(LoggerContext ctx) {
    if (System.getProperty("logback.configurationFile") != null) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    LineEncoder encoder = new LineEncoder();
    encoder.setContext(ctx);
    encoder.start();
    ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
    stderr.setContext(ctx);
    stderr.setName("stderr");
    stderr.setTarget("System.err");
    stderr.setEncoder(encoder);
    stderr.start();
    Logger root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
    root.addAppender(stderr);
    String level = System.getProperty("pixelbus.log.level", System.getenv("PIXELBUS_LOG_LEVEL"));
    root.setLevel(Level.toLevel(level, Level.INFO));
    ctx.getLogger("io.netty").setLevel(Level.WARN);
    ctx.getLogger("com.hazelcast").setLevel(Level.WARN);
    // Said at every start of every node: pixelbus keeps nothing in Hazelcast that needs the CP subsystem.
    ctx.getLogger("com.hazelcast.cp.CPSubsystem").setLevel(Level.ERROR);
    // Said at every start: vertx-micrometer-metrics 5.0.7 registers its event-bus handlers gauge twice
    // (vert-x3/vertx-micrometer-metrics#259); the second registration is ignored, which is harmless.
    ctx.getLogger("io.micrometer.core.instrument.MeterRegistry").setLevel(Level.ERROR);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }

  /**
   * Writes "HH:mm:ss.SSS LEVEL Logger - message" and the stack trace, as the pattern
   * {@code %d{HH:mm:ss.SSS} %-5level %logger{0} - %msg%n} would, without logback's pattern parser
   * (a third of logback's start-up time).
   */
  static final class LineEncoder extends EncoderBase<ILoggingEvent> {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS")
        .withZone(ZoneId.systemDefault());

    @Override
    public byte[] headerBytes() {
      return null;
    }

    @Override
    public byte[] encode(ILoggingEvent e) {
      String logger = e.getLoggerName();
      StringBuilder s = new StringBuilder(128).append(TIME.format(e.getInstant())).append(' ');
      String level = e.getLevel().toString();
      s.append(level).append(" ".repeat(Math.max(1, 6 - level.length())));
      s.append(logger, logger.lastIndexOf('.') + 1, logger.length()).append(" - ").append(e.getFormattedMessage()).append('\n');
      if (e.getThrowableProxy() != null) {
        s.append(ThrowableProxyUtil.asString(e.getThrowableProxy())).append('\n');
      }
      return s.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public byte[] footerBytes() {
      return null;
    }
  }

  /** Sets the root level once the configuration is read; an unknown name leaves it as it is. */
  public static void setLevel(String level) {
    if (level != null && !level.isBlank()
        && LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx) {
      Logger root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
      root.setLevel(Level.toLevel(level, root.getLevel()));
    }
  }
}
