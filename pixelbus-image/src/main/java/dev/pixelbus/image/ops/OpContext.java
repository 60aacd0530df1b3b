package dev.pixelbus.image.ops;

import org.opencv.core.Mat;
import org.opencv.objdetect.CascadeClassifier;

/**
 * What an operation may ask of the job it runs in, beside its image and parameters: the worker's
 * classifiers, the pixel limit, and the reply's findings. The worker implements it, so that an
 * operation stays free of files, threads and the event bus.
 */
public interface OpContext {
  /** The worker's classifier for a cascade path given in a request (null: the configured one). Not thread-safe. */
  CascadeClassifier cascade(String path);

  /** Refuses (413) a result of {@code width} × {@code height} over image.maxPixels, before it is allocated. */
  void requireWithinLimit(int width, int height, String what);

  /** What the job's reply will carry beside the image. */
  Findings findings();

  /**
   * The size {@code image} stands for: its own, or, while it is still a JPEG decoded at a fraction of its
   * size and only scale-free steps ran, its full size (so that a resize reckons its result from it).
   */
  int[] sourceSize(Mat image);

  /** 1, or 2, 4 or 8 while the image is still a decode at that fraction of its size. */
  int decodeScale();

  /** Whether the step is one of a pipeline's (info then says which size it saw, say). */
  boolean pipeline();
}
