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
   * Runs every step on {@code image}, which this takes over: the caller releases only what it returns
   * in {@code result} (the image itself when no step made a new one). A pipeline's failures name their step.
   *
   * @param pipeline whether the steps are a pipeline's (of any length): then failures name their step
   */
  public Mat run(List<Step<?>> steps, Mat image, boolean pipeline, Outcome outcome) {
    Context context = new Context(pipeline, outcome.findings());
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
    return new Context(pipeline, findings);
  }

  /** A new, empty outcome for one run. */
  public static Outcome outcome() {
    return new Outcome(new Findings(), new ArrayList<>());
  }

  /** What the operations of one job may ask for. */
  private final class Context implements OpContext {
    private final boolean pipeline;
    private final Findings findings;

    Context(boolean pipeline, Findings findings) {
      this.pipeline = pipeline;
      this.findings = findings;
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
