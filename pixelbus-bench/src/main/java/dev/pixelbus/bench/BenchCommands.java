package dev.pixelbus.bench;

import dev.pixelbus.app.CommandProvider;
import java.util.List;

/**
 * The benchmark commands, added to {@code pixelbus}'s command line through
 * {@code META-INF/services/dev.pixelbus.app.CommandProvider}: the app finds them when this module is on
 * the class path (the fat jar) and knows nothing of them otherwise.
 */
public final class BenchCommands implements CommandProvider {
  @Override
  public List<Object> commands() {
    return List.of(new BenchCommand(), new CallsBenchCommand(), new EchoLoadCommand(), new OpsLoopCommand(),
        new OpsTimeCommand(), new SurfacesBenchCommand());
  }
}
