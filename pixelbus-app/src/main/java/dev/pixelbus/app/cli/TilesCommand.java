package dev.pixelbus.app.cli;

import dev.pixelbus.api.PixelbusException;
import dev.pixelbus.image.chunk.BatchNames;
import dev.pixelbus.image.natives.OpenCvNative;
import dev.pixelbus.image.ops.ImageOps;
import dev.pixelbus.image.ops.OutputFormat;
import dev.pixelbus.image.ops.Tiles;
import dev.pixelbus.image.worker.ImageProcessor;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.opencv.core.Mat;
import org.opencv.imgcodecs.Imgcodecs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The course's generate_input: cut one image into a grid of tiles, the input of the batch benchmark. */
@Command(name = "tiles", mixinStandardHelpOptions = true,
    description = "Cut an image into a grid of tiles named NAME_i_j.EXT (i the row, j the column).",
    footer = {"", "Example: pixelbus tiles ship.jpg large_input --grid 20x20   (400 tiles of 78x55)"})
public final class TilesCommand implements Callable<Integer> {
  @Parameters(index = "0", description = "the image to cut")
  Path image;

  @Parameters(index = "1", description = "the folder to write the tiles into (created if missing)")
  Path outDir;

  @Option(names = "--grid", defaultValue = "20x20", description = "ROWSxCOLUMNS (default: ${DEFAULT-VALUE})")
  String grid;

  @Option(names = "--format", description = "png, jpg or webp (default: the image's own extension, else png)")
  String format;

  @Override
  public Integer call() throws Exception {
    try {
      int[] rc = Tiles.parseGrid(grid);
      OpenCvNative.load();
      String file = image.getFileName().toString();
      int dot = file.lastIndexOf('.');
      String base = dot > 0 ? file.substring(0, dot) : file;
      // The image's own extension where pixelbus writes that format (jpeg keeps .jpeg), else png, as batch does.
      String named = BatchNames.outputName(file, format != null ? OutputFormat.parse(format) : null);
      String ext = named.substring(named.lastIndexOf('.'));
      OutputFormat encoding = OutputFormat.ofFileName(ext);
      byte[] encoded = Files.readAllBytes(image);
      new ImageProcessor(null, new ImageProcessor.Limits(100_000_000, Long.MAX_VALUE), null).guard(encoded);
      Mat src = ImageOps.decode(encoded, Imgcodecs.IMREAD_COLOR);
      try {
        Files.createDirectories(outDir);
        List<Tiles.Tile> tiles = Tiles.grid(src.cols(), src.rows(), rc[0], rc[1]);
        for (Tiles.Tile t : tiles) {
          Mat view = Tiles.view(src, t);
          try {
            Files.write(outDir.resolve(t.name(base, ext)), ImageOps.encode(view, encoding, null));
          } finally {
            view.release();
          }
        }
        Tiles.Tile first = tiles.get(0);
        System.out.printf("%d tiles of %dx%d from %s (%dx%d) in %s%n", tiles.size(), first.region().width,
            first.region().height, image, src.cols(), src.rows(), outDir);
      } finally {
        src.release();
      }
      return 0;
    } catch (PixelbusException e) {
      System.err.println("pixelbus tiles: " + e.failureCode() + " " + e.getMessage());
      return 2;
    } catch (NoSuchFileException e) {
      System.err.println("pixelbus tiles: 404 no such file: " + e.getFile());
      return 2;
    }
  }
}
