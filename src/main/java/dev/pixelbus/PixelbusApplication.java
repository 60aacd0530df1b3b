package dev.pixelbus;

import io.vertx.core.Deployable;
import io.vertx.launcher.application.VertxApplication;
import io.vertx.launcher.application.VertxApplicationHooks;
import java.util.function.Supplier;

/**
 * The server: Vert.x's launcher (it parses -conf, -cluster, -options, -instances and the rest)
 * deploying {@link MainVerticle}. Naming the verticle here, rather than in the manifest, lets
 * {@link Main} own {@code main}.
 */
public final class PixelbusApplication extends VertxApplication implements VertxApplicationHooks {

  public PixelbusApplication(String[] args) {
    super(args, null, true, true);
  }

  @Override
  public Supplier<? extends Deployable> verticleSupplier() {
    return MainVerticle::new;
  }
}
