package dev.pixelbus.fetch;

import java.nio.file.Path;

/**
 * A body kept in a file by one of the file strategies.
 *
 * @param file   under its final name (a suffix may have been added at the last moment)
 * @param bytes  its size
 * @param status the response's status: 200, 206 for a resumed part, 304 for a file left as it was
 */
record Saved(Path file, long bytes, int status) {
}
