package dev.pixelbus.image.worker;

import dev.pixelbus.api.Box;
import dev.pixelbus.image.ops.ImageOps;
import dev.pixelbus.image.ops.OutputFormat;
import java.nio.file.Path;
import java.util.List;

/**
 * What a job produced. Fields that do not apply to the op are null.
 *
 * @param info      for info: the image as stored
 * @param format    the input's format, from its header
 * @param threshold for threshold: the value used (computed for Otsu and triangle)
 * @param faces     for faces: the boxes found
 * @param output    the file written, or null
 * @param image     the encoded result when no output file was asked for, or null
 */
public record ImageResult(int width, int height, String format, ImageOps.Info info, Double threshold, List<Box> faces,
                          Path output, OutputFormat outputFormat, byte[] image, Timings timings) {

  /** Milliseconds spent in each step of the job. */
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
