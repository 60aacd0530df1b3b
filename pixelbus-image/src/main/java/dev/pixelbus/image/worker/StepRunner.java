package dev.pixelbus.image.worker;

import dev.pixelbus.api.ErrorCode;
import dev.pixelbus.api.PixelbusException;
import dev.pixelbus.image.ops.Findings;
import dev.pixelbus.image.ops.OpContext;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.opencv.core.Mat;
import org.opencv.objdetect.CascadeClassifier;

/**
 * Runs a job's steps on one decoded image, each on the previous one's result: the Mats in between are
 * released as soon as the next exists, so a pipeline holds at most two images (and a gray copy) at a
 * time. Blocking, single-threaded: one per worker, as its cascades are.
 */
public final class StepRunner {
  private final long maxPixels;
  private final Function<String, CascadeClassifier> cascades;

  /** What one run of the steps learnt: the reply's findings and each step's milliseconds. */
  public record Outcome(Findings findings, List<Double> stepMillis) {
  }

  /**
   * @param maxPixels the most pixels a step may make (image.maxPixels), checked before it allocates
   * @param cascades  a worker's classifier for a cascade path (null: the configured one)
   */
  public StepRunner(long maxPixels, Function<String, CascadeClassifier> cascades) {
    this.maxPixels = maxPixels;
    this.cascades = cascades;
  }

  /**
   * What the decoded image stands for: the full size of the image (oriented), and the fraction of it the
   * decode gave (1, or 2, 4, 8 for a JPEG decoded smaller: {@link ShrinkOnLoad}).
   */
  public record Decoded(int width, int height, int scale) {
    /** An image decoded whole. */
    public static Decoded whole(Mat image) {
      return new Decoded(image.cols(), image.rows(), 1);
    }
  }

  /** Runs every step on an image decoded whole; see {@link #run(List, Mat, Decoded, boolean, Outcome)}. */
  public Mat run(List<Step<?>> steps, Mat image, boolean pipeline, Outcome outcome) {
    return run(steps, image, Decoded.whole(image), pipeline, outcome);
  }

  /**
   * Runs every step on {@code image}, which this takes over: the caller releases only what it returns
   * (the image itself when no step made a new one). A pipeline's failures name their step.
   *
   * @param decoded  what the image stands for: its full size and the scale it was decoded at
   * @param pipeline whether the steps are a pipeline's (of any length): then failures name their step
   */
  public Mat run(List<Step<?>> steps, Mat image, Decoded decoded, boolean pipeline, Outcome outcome) {
    Context context = new Context(pipeline, outcome.findings(), decoded);
    Mat current = image;
    try {
      for (Step<?> step : steps) {
        long t0 = System.nanoTime();
        Mat next;
        try {
          next = step.apply(current, context);
        } catch (PixelbusException e) {
          throw pipeline ? new PixelbusException(e.failureCode(), step.where() + e.getMessage()) : e;
        }
        context.after(step);
        if (next != current) {
          current.release();
          current = next;
        }
        outcome.stepMillis().add(Math.round((System.nanoTime() - t0) / 1e4) / 100.0);
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

  /** What operations may ask of a run outside a job (a benchmark applying one to an image it keeps). */
  public OpContext context(boolean pipeline, Findings findings) {
    return new Context(pipeline, findings, null);
  }

  /** A new, empty outcome for one run. */
  public static Outcome outcome() {
    return new Outcome(new Findings(), new ArrayList<>());
  }

  /** What the operations of one job may ask for. */
  private final class Context implements OpContext {
    private final boolean pipeline;
    private final Findings findings;
    /** While the image is a smaller decode: the fraction, and the full size it stands for; scale 1 after. */
    private int scale;
    private int fullWidth;
    private int fullHeight;

    Context(boolean pipeline, Findings findings, Decoded decoded) {
      this.pipeline = pipeline;
      this.findings = findings;
      this.scale = decoded == null ? 1 : decoded.scale();
      this.fullWidth = decoded == null ? 0 : decoded.width();
      this.fullHeight = decoded == null ? 0 : decoded.height();
    }

    /** A scale-free step keeps the smaller decode (and turns its full size); any other step used it up. */
    void after(Step<?> step) {
      if (scale > 1) {
        int[] next = step.scaleFreeSize(fullWidth, fullHeight);
        if (next == null) {
          scale = 1;
        } else {
          fullWidth = next[0];
          fullHeight = next[1];
        }
      }
    }

    @Override
    public int[] sourceSize(Mat image) {
      return scale > 1 ? new int[] {fullWidth, fullHeight} : new int[] {image.cols(), image.rows()};
    }

    @Override
    public int decodeScale() {
      return scale;
    }

    @Override
    public CascadeClassifier cascade(String path) {
      return cascades.apply(path);
    }

    @Override
    public void requireWithinLimit(int w, int h, String what) {
      long pixels = (long) w * h;
      if (pixels > maxPixels) {
        throw new PixelbusException(ErrorCode.TOO_LARGE, String.format(
            "%s to %d×%d = %.1f megapixels is over the limit of %.1f megapixels (image.maxPixels)", what, w, h, pixels / 1e6,
            maxPixels / 1e6));
      }
    }

    @Override
    public Findings findings() {
      return findings;
    }

    @Override
    public boolean pipeline() {
      return pipeline;
    }
  }
}
