package dev.pixelbus.image.worker;

import dev.pixelbus.image.ops.OutputFormat;
import java.nio.file.Path;

/**
 * What a job produced.
 *
 * @param width        the input's width, from its header
 * @param format       the input's format, from its header
 * @param decodeScale  1, or 2, 4 or 8: the fraction of its size the JPEG was decoded at (shrink-on-load)
 * @param pipeline     whether the job was a pipeline (then the reply times each step)
 * @param steps        what the steps found on the way (a threshold, faces, a face crop, info) and their times
 * @param output       the file written, or null
 * @param image        the encoded result when no output file was asked for, or null
 * @param outputWidth  the result's width, or 0 when the job made no image
 */
public record ImageResult(int width, int height, String format, int decodeScale, boolean pipeline, StepRunner.Outcome steps, Path output,
                          OutputFormat outputFormat,
                          byte[] image, int outputWidth, int outputHeight, Timings timings) {

  /** Milliseconds spent in each stage of the job; {@code op} is every step together. */
  public record Timings(double read, double decode, double op, double encode, double write) {
    /** In the order of the batch's chunk replies: read, decode, op, encode, write. */
    public double[] steps() {
      return new double[] {read, decode, op, encode, write};
    }

    public double total() {
      return read + decode + op + encode + write;
    }
  }
}
