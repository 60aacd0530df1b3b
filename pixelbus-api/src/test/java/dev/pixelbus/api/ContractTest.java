package dev.pixelbus.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.serviceproxy.ServiceException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The contract on its own: operations and addresses, codes, and the data objects' JSON. */
class ContractTest {
  @Test
  void everyOperationHasItsAddressAndTheBridgesPermitThemAll() {
    assertEquals(List.of("info", "grayscale", "threshold", "adaptive", "faces", "resize", "crop", "rotate", "flip", "blur",
        "sharpen", "facecrop", "pipeline"), ImageOp.labels());
    for (ImageOp op : ImageOp.values()) {
      // The typed API has a method for every operation, of the same name.
      assertTrue(Arrays.stream(ImageService.class.getMethods()).anyMatch(m -> m.getName().equals(op.label())),
          "ImageService." + op.label() + "(...)");
      assertEquals("pixelbus.image." + op.label(), op.address());
      assertEquals(op, ImageOp.parse(op.label()));
      assertTrue(Addresses.REQUESTS.contains(op.address()), op.address());
    }
    assertTrue(Addresses.REQUESTS.containsAll(List.of(Addresses.IMAGE_OPS, Addresses.IMAGE_BATCH, Addresses.IMAGE_STATS, Addresses.FETCH,
        Addresses.FETCH_STATS, Addresses.ECHO_STATS)));
    assertEquals(List.of(Addresses.IMAGE_BATCH_PROGRESS, Addresses.FETCH_PROGRESS), Addresses.EVENTS);
    assertFalse(Addresses.REQUESTS.contains(Addresses.IMAGE_SERVICE), "the typed service is for Java callers");
    PixelbusException e = assertThrows(PixelbusException.class, () -> ImageOp.parse("emboss"));
    assertTrue(e.is(ErrorCode.BAD_REQUEST) && e.getMessage().contains("emboss"), e.getMessage());
  }

  @Test
  void codesAreKeptAsSentAndTheBussOwnFailuresGetOne() {
    assertEquals(ErrorCode.GATEWAY_TIMEOUT, ErrorCode.of(504));
    assertNull(ErrorCode.of(418), "a remote server's code is not in the table");
    PixelbusException tooMany = new PixelbusException(418, "a teapot");
    assertEquals(418, tooMany.failureCode(), "unknown codes are kept, not flattened to 500");
    assertEquals(ReplyFailure.RECIPIENT_FAILURE, tooMany.failureType());
    assertEquals(415, PixelbusException.from(new ServiceException(415, "no image")).failureCode());
    assertEquals(413, PixelbusException.from(new ReplyException(ReplyFailure.RECIPIENT_FAILURE, 413, "big"))
        .failureCode());
    assertEquals(503, PixelbusException.from(new ReplyException(ReplyFailure.NO_HANDLERS, "none")).failureCode());
    assertEquals(500, PixelbusException.from(new ReplyException(ReplyFailure.TIMEOUT, "late")).failureCode());
    assertEquals(500, PixelbusException.from(new IllegalStateException("odd")).failureCode());
    assertTrue(tooMany == PixelbusException.from(tooMany));
  }

  @Test
  void aRequestIsItsAddressBodyAndLeavesOutWhatIsNotSet() {
    assertEquals(new JsonObject().put("input", "ship.jpg"), new ThresholdRequest().setFile("ship.jpg").toJson(),
        "nothing else: the server's defaults apply");
    JsonObject threshold = new ThresholdRequest().setFile("ship.jpg").setOutput("t.png").setValue(100.0).setOtsu(true)
        .setQuality(null).toJson();
    assertEquals(new JsonObject().put("input", "ship.jpg").put("output", "t.png").put("value", 100.0).put("otsu", true),
        threshold);
    byte[] png = {(byte) 0x89, 'P', 'N', 'G'};
    JsonObject inline = new AdaptiveRequest().setBytes(png).setBlockSize(15).setMethod("mean").toJson();
    assertArrayEquals(png, inline.getJsonObject("input").getBinary("bytes"));
    assertEquals(15, inline.getInteger("blockSize"));
    JsonObject faces = new FacesRequest().setFile("a.jpg").setMinSize(new Size(30, 40)).setDraw(false).toJson();
    assertEquals(new JsonObject().put("width", 30).put("height", 40), faces.getJsonObject("minSize"));
    JsonObject batch = new BatchRequest().setInputDir("in").setOutputDir("out").setOp(ImageOp.GRAYSCALE)
        .setParams(new JsonObject()).toJson();
    assertEquals("grayscale", batch.getString("op"));
    assertEquals(new JsonObject().put("input", "x.png"), new InfoRequest().setBytes(png).setFile("x.png").toJson(),
        "the last input given wins");
  }

  @Test
  void toJsonIsACopyTheCallerMayHandOver() {
    ThresholdRequest request = new ThresholdRequest().setFile("a.png");
    request.toJson().put("value", 1);
    assertEquals(new JsonObject().put("input", "a.png"), request.toJson());
  }

  @Test
  void repliesReadTheAddressesReplies() {
    JsonObject info = new JsonObject().put("width", 1577).put("height", 1118).put("format", "jpeg").put("channels", 3)
        .put("depth", "8U").put("topLeft", new JsonArray().add(199).add(136).add(86));
    InfoReply reply = new InfoReply(info);
    assertEquals(1577, reply.getWidth());
    assertEquals("8U", reply.getDepth());
    assertEquals(List.of(199.0, 136.0, 86.0), reply.getTopLeft());
    FacesReply faces = new FacesReply(new JsonObject().put("faces", new JsonArray()
        .add(new JsonObject().put("x", 86).put("y", 31).put("w", 53).put("h", 53))));
    assertEquals(List.of(new Box(86, 31, 53, 53)), faces.getFaces());
    BatchReply batch = new BatchReply(new JsonObject().put("images", 400).put("failedCount", 1)
        .put("failed", new JsonArray().add(new JsonObject().put("file", "x.png").put("code", 415).put("message", "no"))));
    assertEquals(400, batch.getImages());
    assertEquals(415, batch.getFailed().get(0).code());
    byte[] png = {1, 2, 3};
    assertArrayEquals(png, new ImageReply(new JsonObject().put("image", png)).getImage());
    assertArrayEquals(png, new ImageReply(new JsonObject(new JsonObject().put("image", png).encode())).getImage(),
        "as it arrives from another JVM: base64");
  }
}
