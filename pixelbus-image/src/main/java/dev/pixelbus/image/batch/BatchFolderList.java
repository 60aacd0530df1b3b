package dev.pixelbus.image.batch;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The folders a batch may be asked of: each input root and the folders right under it, with how
 * many images each holds (the files a batch takes), so that a page can offer them. Blocking: for a
 * worker thread. Bounded: at most {@link #MAX_FOLDERS} folders, and images counted up to
 * {@link #MAX_COUNT}.
 */
final class BatchFolderList {
  static final int MAX_FOLDERS = 1000;
  static final int MAX_COUNT = 100_000;

  private BatchFolderList() {
  }

  /** {folders: [{dir, images, more?}], truncated}: {@code dir} as a batch request names it. */
  static JsonObject list(List<Path> roots) throws IOException {
    JsonArray folders = new JsonArray();
    boolean truncated = false;
    for (Path root : roots) {
      List<Path> dirs = new ArrayList<>();
      dirs.add(root);
      try (DirectoryStream<Path> children = Files.newDirectoryStream(root, Files::isDirectory)) {
        for (Path child : children) {
          if (!child.getFileName().toString().startsWith(".")) {
            dirs.add(child);
          }
        }
      }
      dirs.subList(1, dirs.size()).sort(null);
      for (Path dir : dirs) {
        if (folders.size() >= MAX_FOLDERS) {
          truncated = true;
          break;
        }
        int images = count(dir);
        JsonObject folder = new JsonObject().put("dir", dir.toString()).put("images", images);
        if (images >= MAX_COUNT) {
          folder.put("more", true);
        }
        folders.add(folder);
      }
    }
    return new JsonObject().put("folders", folders).put("truncated", truncated);
  }

  private static int count(Path dir) throws IOException {
    int n = 0;
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      for (Path f : files) {
        if (BatchRunner.isBatchFile(f) && ++n >= MAX_COUNT) {
          break;
        }
      }
    }
    return n;
  }
}
