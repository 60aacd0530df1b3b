package dev.pixelbus.image.natives;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.Core;

class OpenCvNativeTest {
  @TempDir
  Path tmp;

  /** A small resource inside a real jar (openpnp's), so the size and CRC come from the jar's directory. */
  private static ExtractedResource.Source jarResource() {
    URL url = OpenCvNativeTest.class.getClassLoader().getResource("nu/pattern/opencv/linux/ARMv7/README.md");
    assertEquals("jar", url.getProtocol());
    return ExtractedResource.Source.of(url);
  }

  @Test
  void aCopyIsWrittenOnceThenReused() throws IOException {
    ExtractedResource.Source src = jarResource();
    ExtractedResource.Copy first = ExtractedResource.ensure(src, tmp.resolve("cache"));
    assertFalse(first.reused());
    assertEquals(src.size(), Files.size(first.file()));
    ExtractedResource.Copy second = ExtractedResource.ensure(src, tmp.resolve("cache"));
    assertTrue(second.reused());
    assertEquals(first.file(), second.file());
    try (var files = Files.list(tmp.resolve("cache"))) {
      assertEquals(1, files.count(), "no temporary file is left behind");
    }
  }

  @Test
  void aCorruptCopyOfTheSameSizeIsReplaced() throws IOException {
    ExtractedResource.Source src = jarResource();
    Path file = ExtractedResource.ensure(src, tmp).file();
    byte[] good = Files.readAllBytes(file);
    byte[] bad = good.clone();
    bad[0] ^= 0x55;
    Files.write(file, bad);
    assertFalse(ExtractedResource.matches(file, src), "same size, different CRC");
    ExtractedResource.Copy again = ExtractedResource.ensure(src, tmp);
    assertFalse(again.reused());
    assertEquals(new String(good), Files.readString(file));
  }

  @Test
  void aResourceOutsideAJarIsCheckedToo() throws IOException {
    URL url = OpenCvNativeTest.class.getResource("OpenCvNativeTest.class"); // test-classes/: a folder, not a jar
    ExtractedResource.Source src = ExtractedResource.Source.of(url);
    assertEquals(Files.size(Path.of(url.getPath())), src.size());
    assertTrue(ExtractedResource.matches(ExtractedResource.ensure(src, tmp).file(), src));
  }

  @Test
  void anUnwritableCacheFallsBackToATempFolder() throws IOException {
    Path notADir = Files.writeString(tmp.resolve("file"), "x"); // createDirectories under a file fails, even for root
    List<String> loaded = new ArrayList<>();
    Path result = OpenCvNative.loadFirstUsable(jarResource(), notADir.resolve("cache"), loaded::add);
    assertTrue(result.getParent().getFileName().toString().startsWith("pixelbus-extract-"), result.toString());
    assertEquals(List.of(result.toAbsolutePath().toString()), loaded);
  }

  @Test
  void whenNoFolderWorksTheErrorSaysWhyAndWhatToSet() throws IOException {
    Path notADir = Files.writeString(tmp.resolve("file"), "x");
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> OpenCvNative.loadFirstUsable(jarResource(),
        notADir.resolve("a"), path -> {
          throw new UnsatisfiedLinkError(path + ": failed to map segment from shared object");
        }));
    assertTrue(e.getMessage().contains("not writable"), e.getMessage());
    assertTrue(e.getMessage().contains("mounted noexec"), e.getMessage());
    assertTrue(e.getMessage().contains(OpenCvNative.CACHE_DIR_ENV), e.getMessage());
  }

  @Test
  void loadsOnceFromAnyNumberOfThreads() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Path>> results = new ArrayList<>();
      for (int i = 0; i < 32; i++) {
        results.add(pool.submit(() -> OpenCvNative.load()));
      }
      Set<Path> paths = ConcurrentHashMap.newKeySet();
      for (Future<Path> f : results) {
        paths.add(f.get());
      }
      assertEquals(1, paths.size());
      assertTrue(Core.VERSION.startsWith("4.9"), Core.VERSION);
    } finally {
      pool.shutdown();
    }
  }
}
