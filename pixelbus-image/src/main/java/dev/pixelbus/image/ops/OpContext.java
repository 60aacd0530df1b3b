package dev.pixelbus.image.ops;

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

  /** Whether the step is one of a pipeline's (info then says which size it saw, say). */
  boolean pipeline();
}
