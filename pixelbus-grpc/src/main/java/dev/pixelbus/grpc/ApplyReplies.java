package dev.pixelbus.grpc;

import com.google.protobuf.ByteString;
import dev.pixelbus.grpc.v1.ApplyReply;
import dev.pixelbus.grpc.v1.Box;
import dev.pixelbus.grpc.v1.ImageInfo;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * The event bus's image reply as an {@link ApplyReply}: the image's own fields, the findings the proto knows
 * (threshold, faces, face and crop, info's), and every finding in {@code findings} as well, typed or not, so an
 * operation added later reaches gRPC callers before the proto names its findings.
 */
final class ApplyReplies {
  /** The image's own fields of a reply: the others are the operations' findings. */
  private static final Set<String> IMAGE_FIELDS = Set.of("width", "height", "format", "decodeScale", "outputWidth",
      "outputHeight", "output", "image", "outputFormat", "millis", "timings");

  private ApplyReplies() {
  }

  static ApplyReply of(JsonObject reply) {
    ApplyReply.Builder b = ApplyReply.newBuilder()
        .setWidth(reply.getInteger("width", 0))
        .setHeight(reply.getInteger("height", 0))
        .setMillis(reply.getDouble("millis", 0.0));
    byte[] image = reply.getBinary("image");
    if (image != null) {
      b.setImage(ByteString.copyFrom(image))
          .setOutputWidth(reply.getInteger("outputWidth", reply.getInteger("width", 0)))
          .setOutputHeight(reply.getInteger("outputHeight", reply.getInteger("height", 0)))
          .setFormat(reply.getString("outputFormat", "png"));
    }
    JsonObject findings = new JsonObject();
    for (String field : reply.fieldNames()) {
      if (!IMAGE_FIELDS.contains(field)) {
        findings.put(field, reply.getValue(field));
      }
    }
    if (findings.getValue("threshold") instanceof Number t) {
      b.setThreshold(t.doubleValue());
    }
    if (findings.getValue("faces") instanceof JsonArray faces) {
      for (Object face : faces) {
        if (face instanceof JsonObject box) {
          b.addFaces(box(box));
        }
      }
    }
    if (findings.getValue("face") instanceof JsonObject face) {
      b.setFace(box(face));
    }
    if (findings.getValue("crop") instanceof JsonObject crop) {
      b.setCrop(box(crop));
    }
    if (findings.containsKey("channels")) {
      ImageInfo.Builder info = ImageInfo.newBuilder().setChannels(findings.getInteger("channels", 0))
          .setDepth(findings.getString("depth", ""));
      if (findings.getValue("topLeft") instanceof JsonArray pixel) {
        pixel.forEach(v -> info.addTopLeft(v instanceof Number n ? n.doubleValue() : 0));
      }
      b.setInfo(info);
    }
    return b.setFindings(StructJson.toStruct(findings)).build();
  }

  private static Box box(JsonObject json) {
    return Box.newBuilder().setX(json.getInteger("x", 0)).setY(json.getInteger("y", 0)).setW(json.getInteger("w", 0))
        .setH(json.getInteger("h", 0)).build();
  }
}
