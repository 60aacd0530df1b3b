package dev.pixelbus.app.cli;

import dev.pixelbus.api.ImageClient;
import dev.pixelbus.api.ImageOp;
import dev.pixelbus.api.PixelbusException;
import dev.pixelbus.common.Params;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Runs one image operation through the image workers on the event bus, in this process, and prints
 * the reply. The paths are yours: the command runs with your permissions, so it is not confined to
 * the server's input and output roots.
 */
@Command(name = "image", mixinStandardHelpOptions = true, modelTransformer = OpsHelp.Footer.class,
    description = "Run one image operation, or a pipeline of them, and print the JSON reply.",
    footer = {"", "Examples:", "  pixelbus image info ship.jpg",
        "  pixelbus image adaptive ship.jpg -o out.png -p method=mean -p blockSize=15",
        "  pixelbus image faces obama1.jpeg -o boxed.jpg -p scaleFactor=1.2",
        "  pixelbus image resize ship.jpg -o small.jpg -p width=800",
        "  pixelbus image facecrop obama1.jpeg -o face.png -p width=128 -p height=128",
        "  pixelbus image pipeline ship.jpg -o out.png --step grayscale \\",
        "      --step resize:width=800 --step threshold:value=127"})
public final class ImageCommand implements Callable<Integer> {
  @Parameters(index = "0", completionCandidates = OpsHelp.Names.class, description = "the operation (see below)")
  String op;

  @Parameters(index = "1", description = "the input image")
  Path input;

  @Option(names = {"-o", "--output"}, description = "write the result here (.png, .jpg or .webp)")
  Path output;

  @Option(names = {"-p", "--param"}, description = "an operation parameter, NAME=VALUE (VALUE is JSON or text)")
  Map<String, String> params = new LinkedHashMap<>();

  @Option(names = "--step", description = "pipeline: a step, OP or OP:NAME=VALUE,... or its JSON; repeat it, in order")
  List<String> steps = new ArrayList<>();

  @Override
  public Integer call() {
    JsonObject body = new JsonObject().put("input", input.toAbsolutePath().normalize().toString());
    if (output != null) {
      body.put("output", output.toAbsolutePath().normalize().toString());
    }
    try (LocalImages images = new LocalImages(1)) {
      params.forEach((k, v) -> body.put(k, Params.fromText(v)));
      if (!steps.isEmpty()) {
        body.put("steps", StepText.steps(steps));
      }
      JsonObject reply = new ImageClient(images.vertx).call(ImageOp.parse(op), body).await();
      reply.remove("image");
      System.out.println(reply.encodePrettily());
      return 0;
    } catch (PixelbusException e) {
      System.err.println("pixelbus: " + e.failureCode() + " " + e.getMessage());
      return 1;
    } catch (IllegalArgumentException e) {
      System.err.println("pixelbus: 400 " + e.getMessage());
      return 1;
    } catch (RuntimeException e) {
      // The image workers could not start (the OpenCV library, a bad cascade path): say why, once.
      System.err.println("pixelbus: cannot run: " + e.getMessage());
      return 2;
    }
  }
}
