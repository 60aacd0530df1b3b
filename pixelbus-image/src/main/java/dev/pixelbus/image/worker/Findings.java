package dev.pixelbus.image.worker;

import dev.pixelbus.api.Box;
import dev.pixelbus.image.ops.ImageOps;
import java.util.ArrayList;
import java.util.List;

/**
 * What the steps of a job learnt on the way, for its JSON reply: each field is null unless a step of
 * that op ran (for a pipeline: the last such step).
 */
public final class Findings {
  /** Whether the steps were a pipeline's: then the reply times each one, and info says the size it saw. */
  final boolean pipeline;
  /** info: the image as stored, or as the steps before it left it. */
  ImageOps.Info info;
  /** threshold: the value used (computed for Otsu and triangle). */
  Double threshold;
  /** faces: the boxes found. */
  List<Box> faces;
  /** facecrop: the face it cropped to (null when it fell back to the centre), and the rectangle cut. */
  Box face;
  Box crop;
  /** Milliseconds per step, in order. */
  final List<Double> stepMillis = new ArrayList<>();

  Findings(boolean pipeline) {
    this.pipeline = pipeline;
  }

  public boolean pipeline() {
    return pipeline;
  }

  public ImageOps.Info info() {
    return info;
  }

  public Double threshold() {
    return threshold;
  }

  public List<Box> faces() {
    return faces;
  }

  public Box face() {
    return face;
  }

  public Box crop() {
    return crop;
  }

  /** Whether facecrop found no face and cut the centre instead. */
  public boolean centred() {
    return crop != null && face == null;
  }

  public List<Double> stepMillis() {
    return stepMillis;
  }
}
