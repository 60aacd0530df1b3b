package dev.pixelbus.image.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.pixelbus.api.PixelbusException;
import dev.pixelbus.image.chunk.BatchNames;
import java.util.List;
import org.junit.jupiter.api.Test;

class TilesTest {
  @Test
  void theCoursesGridOnShipSizes() {
    // ship.jpg is 1577×1118: tiles of 1118//20 = 55 rows by 1577//20 = 78 columns, the remainder dropped.
    List<Tiles.Tile> tiles = Tiles.grid(1577, 1118, 20, 20);
    assertEquals(400, tiles.size());
    Tiles.Tile t = tiles.get(3 * 20 + 7);
    assertEquals(3, t.row());
    assertEquals(7, t.col());
    assertEquals(7 * 78, t.region().x);
    assertEquals(3 * 55, t.region().y);
    assertEquals(78, t.region().width);
    assertEquals(55, t.region().height);
    assertEquals("ship_3_7.jpg", t.name("ship", ".jpg"));
  }

  @Test
  void gridsParseAndBadOnesAre400() {
    assertArrayEquals(new int[] {20, 20}, Tiles.parseGrid("20x20"));
    assertArrayEquals(new int[] {3, 5}, Tiles.parseGrid("3X5"));
    assertArrayEquals(new int[] {7, 7}, Tiles.parseGrid("7"));
    assertThrows(PixelbusException.class, () -> Tiles.parseGrid("0x3"));
    assertThrows(PixelbusException.class, () -> Tiles.parseGrid("axb"));
    assertThrows(PixelbusException.class, () -> Tiles.grid(10, 10, 20, 20), "tiles would be empty");
  }

  @Test
  void outputNamesKeepTheCoursesExtension() {
    assertEquals("ship_0_0.jpg", BatchNames.outputName("ship_0_0.jpg", null));
    assertEquals("a.JPEG", BatchNames.outputName("a.JPEG", null));
    assertEquals("scan.png", BatchNames.outputName("scan.tiff", null));
    assertEquals("noext.png", BatchNames.outputName("noext", null));
    assertEquals("ship_0_0.png", BatchNames.outputName("ship_0_0.jpg", OutputFormat.PNG));
    assertEquals("x.tar.webp", BatchNames.outputName("x.tar.gz", OutputFormat.WEBP));
  }
}
