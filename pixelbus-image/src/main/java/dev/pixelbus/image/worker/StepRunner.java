package dev.pixelbus.image.worker;

import dev.pixelbus.api.Box;
import dev.pixelbus.api.ErrorCode;
import dev.pixelbus.api.PixelbusException;
import dev.pixelbus.image.ops.ImageOps;
import dev.pixelbus.image.ops.Specs;
import java.util.List;
import java.util.function.Function;
import org.opencv.core.Mat;
import org.opencv.core.Rect;
import org.opencv.objdetect.CascadeClassifier;

/**
 * Runs a job's steps on one decoded image, each on the previous one's result: the Mats in between are
 * released as soon as the next exists, so a pipeline holds at most two images (and a gray copy) at a
 * time. Blocking, single-threaded: one per worker, as its cascades are.
 */
final class StepRunner {
  private final long maxPixels;
  private final Function<String, CascadeClassifier> cascades;

  /**
   * @param maxPixels the most pixels a step may make (image.maxPixels), checked before it allocates
   * @param cascades  a worker's classifier for a cascade path (null: the configured one)
   */
  StepRunner(long maxPixels, Function<String, CascadeClassifier> cascades) {
    this.maxPixels = maxPixels;
    this.cascades = cascades;
  }

  /**
   * Runs every step on {@code image}, which this takes over: the caller releases only what it returns
   * (the image itself when no step made a new one). A pipeline's failures name their step.
   */
  Mat run(List<Step> steps, Mat image, Findings findings) {
    Mat current = image;
    try {
      for (Step step : steps) {
        long t0 = System.nanoTime();
        Mat next;
        try {
          next = apply(step, current, findings);
        } catch (PixelbusException e) {
          throw findings.pipeline ? new PixelbusException(e.failureCode(), step.where() + e.getMessage()) : e;
        }
        if (next != current) {
          current.release();
          current = next;
        }
        findings.stepMillis.add(Math.round((System.nanoTime() - t0) / 1e4) / 100.0);
      }
      Mat done = current;
      current = null;
      return done;
    } finally {
      if (current != null) {
        current.release();
      }
    }
  }

  /** One step: the new image, or {@code image} itself when the step makes none (or draws on it). */
  private Mat apply(Step step, Mat image, Findings findings) {
    return switch (step.op()) {
      case INFO -> {
        findings.info = ImageOps.info(image);
        yield image;
      }
      case GRAYSCALE -> image.channels() == 1 ? image : ImageOps.grayscale(image);
      case THRESHOLD -> onGray(image, gray -> {
        ImageOps.Thresholded t = ImageOps.threshold(gray, (Specs.Threshold) step.spec());
        findings.threshold = t.threshold();
        return t.image();
      });
      case ADAPTIVE -> onGray(image, gray -> ImageOps.adaptive(gray, (Specs.Adaptive) step.spec()));
      case FACES -> faces(image, (Specs.Faces) step.spec(), findings);
      case RESIZE -> {
        Specs.Resize spec = (Specs.Resize) step.spec();
        int[] to = spec.scaledSize(image.cols(), image.rows());
        requireWithinLimit(to[0], to[1], "resize");
        yield ImageOps.resize(image, spec);
      }
      case CROP -> ImageOps.crop(image, (Specs.Crop) step.spec());
      case ROTATE -> ImageOps.rotate(image, (Specs.Rotate) step.spec());
      case FLIP -> ImageOps.flip(image, (Specs.Flip) step.spec());
      case BLUR -> ImageOps.blur(image, (Specs.Blur) step.spec());
      case FACECROP -> faceCrop(image, (Specs.FaceCrop) step.spec(), findings);
      case PIPELINE -> throw new IllegalStateException("a pipeline is not a step");
    };
  }

  private Mat faces(Mat image, Specs.Faces spec, Findings findings) {
    List<Rect> found = detect(image, spec);
    findings.faces = found.stream().map(ImageOps::box).toList();
    if (spec.draw()) {
      ImageOps.drawBoxes(image, found);
    }
    return image;
  }

  private Mat faceCrop(Mat image, Specs.FaceCrop spec, Findings findings) {
    Box face = ImageOps.largest(detect(image, spec.detect()));
    if (face == null && spec.fallback() == Specs.NoFace.FAIL) {
      throw new PixelbusException(ErrorCode.NOT_FOUND, "faceNotFound: no face in the " + image.cols() + "x" + image.rows()
          + " image; ask for fallback=center to crop its centre instead");
    }
    Box crop = spec.box(image.cols(), image.rows(), face);
    findings.face = face;
    findings.crop = crop;
    Specs.Resize resize = spec.resize();
    if (resize != null) {
      int[] to = resize.scaledSize(crop.w(), crop.h());
      requireWithinLimit(to[0], to[1], "facecrop");
    }
    return ImageOps.faceCrop(image, crop, spec);
  }

  private List<Rect> detect(Mat image, Specs.Faces spec) {
    CascadeClassifier cascade = cascades.apply(spec.cascade());
    return onGray(image, gray -> ImageOps.detectFaces(cascade, gray, spec));
  }

  /** Refuses (413) a result over image.maxPixels before anything is allocated for it. */
  private void requireWithinLimit(int w, int h, String op) {
    long pixels = (long) w * h;
    if (pixels > maxPixels) {
      throw new PixelbusException(ErrorCode.TOO_LARGE, String.format(
          "%s to %d×%d = %.1f megapixels is over the limit of %.1f megapixels (image.maxPixels)", op, w, h, pixels / 1e6,
          maxPixels / 1e6));
    }
  }

  /** Runs {@code f} on the gray image: {@code image} itself when it has one channel, else a converted copy. */
  private static <T> T onGray(Mat image, Function<Mat, T> f) {
    if (image.channels() == 1) {
      return f.apply(image);
    }
    Mat gray = ImageOps.grayscale(image);
    try {
      return f.apply(gray);
    } finally {
      gray.release();
    }
  }
}
