package dev.pixelbus.image.ops;

import dev.pixelbus.api.PixelbusException;
import java.util.ArrayList;
import java.util.List;
import org.opencv.core.Mat;
import org.opencv.core.Rect;

/**
 * Cuts an image into a grid as the course's generate_input did: with n rows and m columns, each
 * tile is (height // n) × (width // m), tile (i, j) starts at (i·th, j·tw), and the remainder at
 * the right and bottom edges is dropped.
 */
public final class Tiles {
  /** One tile: row i, column j, and its region of the source. */
  public record Tile(int row, int col, Rect region) {
    /** NAME_i_j.EXT, i the row and j the column, as the course named ship_i_j.jpg. */
    public String name(String base, String extension) {
      return base + "_" + row + "_" + col + extension;
    }
  }

  private Tiles() {
  }

  /** Parses "20x20" (rows x columns) or "20" (square). */
  public static int[] parseGrid(String grid) {
    String[] parts = grid.toLowerCase().split("x");
    try {
      int rows = Integer.parseInt(parts[0].trim());
      int cols = parts.length > 1 ? Integer.parseInt(parts[1].trim()) : rows;
      if (parts.length > 2 || rows < 1 || cols < 1) {
        throw new NumberFormatException();
      }
      return new int[] {rows, cols};
    } catch (NumberFormatException e) {
      throw PixelbusException.badRequest("grid must be ROWSxCOLUMNS, such as 20x20, not '" + grid + "'");
    }
  }

  public static List<Tile> grid(int width, int height, int rows, int cols) {
    int th = height / rows;
    int tw = width / cols;
    if (th < 1 || tw < 1) {
      throw PixelbusException.badRequest("a " + width + "×" + height + " image cannot be cut into " + rows + "×" + cols
          + " tiles: a tile would be empty");
    }
    List<Tile> tiles = new ArrayList<>(rows * cols);
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        tiles.add(new Tile(i, j, new Rect(j * tw, i * th, tw, th)));
      }
    }
    return tiles;
  }

  /** The tile's pixels: a view into {@code image}, no copy; release it after use. */
  public static Mat view(Mat image, Tile tile) {
    return image.submat(tile.region());
  }
}
