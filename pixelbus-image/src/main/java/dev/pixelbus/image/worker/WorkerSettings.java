package dev.pixelbus.image.worker;

import dev.pixelbus.common.PathPolicy;
import dev.pixelbus.image.codec.JpegCodec;
import java.nio.file.Path;

/**
 * What an image worker needs: its confinement, its limits, and how to load OpenCV.
 *
 * @param cascade       the default Haar cascade file, or null for the one built into the jar
 * @param cacheDir      where the native library and the bundled cascade are extracted, or null for the default
 * @param opencvThreads OpenCV's own thread count (process-wide)
 * @param jpegCodec     what decodes and encodes JPEG (image.jpegCodec)
 */
public record WorkerSettings(PathPolicy paths, ImageProcessor.Limits limits, Path cascade, Path cacheDir, int opencvThreads,
                             JpegCodec jpegCodec) {
}
