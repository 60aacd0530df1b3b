package dev.pixelbus.image.ops;

import dev.pixelbus.api.Box;
import dev.pixelbus.api.ErrorCode;
import dev.pixelbus.api.ImageOp;
import dev.pixelbus.api.PixelbusException;
import dev.pixelbus.common.Params;
import java.util.Map;
import org.opencv.core.Mat;

/**
 * Crop to the largest face that detection finds, grown by {@code margin} of the face's width and
 * height on every side and clipped to the image. With {@code width} and {@code height} the box first
 * takes their aspect ratio around the face (shifted, not clipped, at an edge) and is then resized to
 * exactly that; with one of them the crop is resized keeping its own ratio.
 */
public final class FaceCrop extends Operation<FaceCrop.Spec> {
  public static final double DEFAULT_MARGIN = 0.3;
  static final Param<Double> MARGIN = Param.number("margin", DEFAULT_MARGIN,
      "how much of the face's size to keep around it, on every side").range(0, 10);
  static final Param<Integer> WIDTH = Param.integer("width", null, "resize the crop to this width").range(1, 1 << 16)
      .example(128);
  static final Param<Integer> HEIGHT = Param.integer("height", null, "resize the crop to this height").range(1, 1 << 16)
      .example(128);
  static final Param<NoFace> FALLBACK = Param.choice("fallback", NoFace.class, NoFace.FAIL,
      "no face: fail with 404 faceNotFound, or crop the centre").example("center");

  /** What facecrop does when it finds no face. */
  public enum NoFace {
    /** Fails with 404 faceNotFound: the caller decides. */
    FAIL,
    /** Crops the centre instead: the largest centred box of the asked aspect ratio (a square without a size). */
    CENTER
  }

  public record Spec(Faces.Spec detect, double margin, Integer width, Integer height, NoFace fallback) {
    public Spec {
      fallback = fallback == null ? NoFace.FAIL : fallback;
    }

    /**
     * The rectangle to crop from a {@code w} × {@code h} image around {@code face}, or around the centre
     * when {@code face} is null: a pure function, so it is tested without OpenCV and known before any
     * pixel is touched.
     */
    public Box box(int w, int h, Box face) {
      Double aspect = width != null && height != null ? (double) width / height : null;
      if (face == null) {
        double a = aspect == null ? 1.0 : aspect;
        int bw = (int) Math.min(w, Math.round(h * a));
        int bh = (int) Math.min(h, Math.round(bw / a));
        bw = Math.max(1, bw);
        bh = Math.max(1, bh);
        return new Box((w - bw) / 2, (h - bh) / 2, bw, bh);
      }
      double x0 = face.x() - margin * face.w();
      double y0 = face.y() - margin * face.h();
      double x1 = face.x() + face.w() + margin * face.w();
      double y1 = face.y() + face.h() + margin * face.h();
      if (aspect == null) {
        int bx = (int) Math.max(0, Math.round(x0));
        int by = (int) Math.max(0, Math.round(y0));
        int bx1 = (int) Math.min(w, Math.round(x1));
        int by1 = (int) Math.min(h, Math.round(y1));
        return new Box(bx, by, Math.max(1, bx1 - bx), Math.max(1, by1 - by));
      }
      // Grow the short side to the ratio around the face's centre; shrink both when the image is too small.
      double bw = x1 - x0;
      double bh = y1 - y0;
      if (bw / bh < aspect) {
        bw = bh * aspect;
      } else {
        bh = bw / aspect;
      }
      double fit = Math.min(1.0, Math.min(w / bw, h / bh));
      int iw = (int) Math.max(1, Math.min(w, Math.round(bw * fit)));
      int ih = (int) Math.max(1, Math.min(h, Math.round(bh * fit)));
      double cx = face.x() + face.w() / 2.0;
      double cy = face.y() + face.h() / 2.0;
      int bx = (int) Math.max(0, Math.min(w - iw, Math.round(cx - iw / 2.0)));
      int by = (int) Math.max(0, Math.min(h - ih, Math.round(cy - ih / 2.0)));
      return new Box(bx, by, iw, ih);
    }

    /** The resize after the crop, or null when the crop is the result. */
    public Resize.Spec resize() {
      if (width == null && height == null) {
        return null;
      }
      return new Resize.Spec(width, height, null, Resize.Fit.FILL, Resize.Interpolation.AUTO);
    }
  }

  FaceCrop() {
    super(ImageOp.FACECROP, "crop to the largest face (detectMultiScale), grown by margin; then resized to width×height",
        MARGIN, WIDTH, HEIGHT, FALLBACK, Faces.SCALE_FACTOR, Faces.MIN_NEIGHBORS, Faces.MIN_SIZE, Faces.MAX_SIZE,
        Faces.CASCADE);
  }

  @Override
  public Spec parse(Params p, boolean pipelineStep) {
    // "fail" is also called faceNotFound, the message's first word.
    NoFace fallback = "faceNotFound".equalsIgnoreCase(p.string(FALLBACK.name(), null)) ? NoFace.FAIL : get(p, FALLBACK);
    return new Spec(Faces.detector(this, p, false), get(p, MARGIN), get(p, WIDTH), get(p, HEIGHT), fallback);
  }

  /**
   * With a size, the face is not known before the decode, so the decode keeps its short side at least 8
   * times the result's long side: a face and its margin that span a quarter of it still give twice the result.
   */
  @Override
  public int[] leastDecodedSize(Spec spec, int w, int h) {
    if (spec.width() == null || spec.height() == null) {
      return null;
    }
    int least = 8 * Math.max(spec.width(), spec.height());
    return new int[] {least, least};
  }

  @Override
  public Mat apply(Mat image, Spec spec, OpContext context) {
    Box face = ImageOps.largest(Faces.detect(image, spec.detect(), context));
    if (face == null && spec.fallback() == NoFace.FAIL) {
      throw new PixelbusException(ErrorCode.NOT_FOUND, "faceNotFound: no face in the " + image.cols() + "x" + image.rows()
          + " image; ask for fallback=center to crop its centre instead");
    }
    Box crop = spec.box(image.cols(), image.rows(), face);
    // In the coordinates of the image at full scale, also when it was decoded smaller.
    int scale = context.decodeScale();
    context.findings().put("crop", scaled(crop, scale));
    if (face == null) {
      context.findings().put("fallback", "center");
    } else {
      context.findings().put("face", scaled(face, scale));
    }
    Resize.Spec resize = spec.resize();
    if (resize != null) {
      int[] to = resize.scaledSize(crop.w(), crop.h());
      context.requireWithinLimit(to[0], to[1], label());
    }
    return faceCrop(image, crop, spec);
  }

  private static Box scaled(Box b, int scale) {
    return scale == 1 ? b : new Box(b.x() * scale, b.y() * scale, b.w() * scale, b.h() * scale);
  }

  /** The cut: the rectangle {@link Spec#box} chose, resized when the spec asks for a size. */
  public static Mat faceCrop(Mat image, Box box, Spec spec) {
    Mat cut = Crop.crop(image, new Crop.Spec(box.x(), box.y(), box.w(), box.h()));
    Resize.Spec resize = spec.resize();
    if (resize == null) {
      return cut;
    }
    try {
      return Resize.resize(cut, resize);
    } finally {
      cut.release();
    }
  }

  @Override
  public Map<String, String> replyFields() {
    return fields("crop", "the rectangle cut, {x, y, w, h} (before any resize)", "face", "the largest face, {x, y, w, h}",
        "fallback", "\"center\" when no face was found and the centre was cut instead");
  }
}
