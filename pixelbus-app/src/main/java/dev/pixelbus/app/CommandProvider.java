package dev.pixelbus.app;

import java.util.List;
import java.util.ServiceLoader;

/**
 * Commands that a module outside the product adds to {@code pixelbus}'s command line. {@link Main}
 * finds every implementation on the class path through {@link ServiceLoader} (a line in
 * {@code META-INF/services/dev.pixelbus.app.CommandProvider}) and lists its commands after its own.
 * So pixelbus-bench's commands are in the fat jar while the app neither depends on that module nor
 * names one of its classes: the arrow runs from the tools to the product only.
 */
public interface CommandProvider {
  /** picocli command objects (classes annotated with {@code @Command}), in the order the help lists them. */
  List<Object> commands();
}
