package dev.pixelbus.image.worker;

import dev.pixelbus.api.Addresses;
import dev.pixelbus.api.ImageOp;
import dev.pixelbus.api.ImageService;
import dev.pixelbus.api.JsonBacked;
import dev.pixelbus.api.LocalJsonCodec;
import dev.pixelbus.api.PixelbusException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.serviceproxy.ServiceException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The typed service, as the JSON contract: each call becomes the request of its address-per-operation
 * on this node, checked and run exactly as a bridge or HTTP request would be. A failure goes back as
 * a {@link ServiceException} with the same code (the proxy handler would turn anything else into -1).
 *
 * <p>Every method of {@link ImageService} but {@code batch} and {@code stats} is named for its operation,
 * takes that operation's request and answers its reply type, built from the reply's JSON: so one rule
 * serves them all, and an operation added to the contract needs nothing here. The rule is checked for
 * every method when the service is made, not on its first call.
 */
final class ImageServiceImpl implements InvocationHandler {
  /** This node's own dispatcher and batch verticle; no timeout of the bus's: theirs answer every request. */
  private static final DeliveryOptions LOCAL = LocalJsonCodec.options().setLocalOnly(true)
      .setSendTimeout(Long.MAX_VALUE / 2);

  /** A method's address, and how its reply's JSON becomes its reply type. */
  private record Call(String address, Function<JsonObject, Object> reply) {
  }

  private final Vertx vertx;
  private final Map<Method, Call> calls = new HashMap<>();

  private ImageServiceImpl(Vertx vertx) {
    this.vertx = vertx;
    for (Method m : ImageService.class.getMethods()) {
      if (!m.isDefault() && !Modifier.isStatic(m.getModifiers())) {
        calls.put(m, call(m));
      }
    }
  }

  /** The typed service over this node's addresses. */
  static ImageService create(Vertx vertx) {
    return (ImageService) Proxy.newProxyInstance(ImageService.class.getClassLoader(), new Class<?>[] {ImageService.class},
        new ImageServiceImpl(vertx));
  }

  private static Call call(Method m) {
    String address = switch (m.getName()) {
      case "batch" -> Addresses.IMAGE_BATCH;
      case "stats" -> Addresses.IMAGE_STATS;
      default -> ImageOp.parse(m.getName()).address();
    };
    Class<?> type = (Class<?>) ((ParameterizedType) m.getGenericReturnType()).getActualTypeArguments()[0];
    if (type == JsonObject.class) {
      return new Call(address, json -> json);
    }
    try {
      Constructor<?> fromJson = type.getConstructor(JsonObject.class);
      return new Call(address, json -> {
        try {
          return fromJson.newInstance(json);
        } catch (ReflectiveOperationException e) {
          throw new IllegalStateException("cannot make a " + type.getSimpleName() + " of the reply", e);
        }
      });
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException("ImageService." + m.getName() + " answers " + type.getSimpleName()
          + ", which has no constructor from JSON", e);
    }
  }

  @Override
  public Object invoke(Object proxy, Method method, Object[] args) {
    Call call = calls.get(method);
    if (call == null) {
      return switch (method.getName()) {
        case "toString" -> "ImageService on " + Addresses.IMAGE_SERVICE;
        case "hashCode" -> System.identityHashCode(proxy);
        case "equals" -> proxy == args[0];
        default -> throw new UnsupportedOperationException(method.toString());
      };
    }
    JsonObject body = args == null || args.length == 0 ? new JsonObject() : ((JsonBacked<?>) args[0]).toJson();
    return vertx.eventBus().<JsonObject>request(call.address(), body, LOCAL).map(Message::body).map(call.reply())
        .recover(e -> {
          PixelbusException p = PixelbusException.from(e);
          return ServiceException.fail(p.failureCode(), p.getMessage());
        });
  }
}
