package dev.pixelbus.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pixelbus.api.ErrorCode;
import dev.pixelbus.api.PixelbusException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PathPolicyTest {
  @TempDir
  Path tmp;
  Path in;
  Path out;
  Path secret;
  PathPolicy policy;

  @BeforeEach
  void setUp() throws IOException {
    in = Files.createDirectories(tmp.resolve("in"));
    out = Files.createDirectories(tmp.resolve("out"));
    secret = Files.writeString(tmp.resolve("secret.png"), "x");
    Files.writeString(in.resolve("a.png"), "x");
    policy = new PathPolicy(List.of(in), out);
  }

  private ErrorCode codeOf(Runnable r) {
    return ErrorCode.of(assertThrows(PixelbusException.class, r::run).failureCode());
  }

  @Test
  void relativeAndAbsoluteInputsInsideTheRootResolve() throws IOException {
    assertEquals(in.resolve("a.png").toRealPath(), policy.resolveInput("a.png"));
    assertEquals(in.resolve("a.png").toRealPath(), policy.resolveInput(in.resolve("a.png").toString()));
  }

  @Test
  void inputsOutsideTheRootsAreForbidden() {
    assertEquals(ErrorCode.FORBIDDEN, codeOf(() -> policy.resolveInput(secret.toString())));
    assertEquals(ErrorCode.FORBIDDEN, codeOf(() -> policy.resolveInput("../secret.png")));
    assertEquals(ErrorCode.FORBIDDEN, codeOf(() -> policy.resolveInput("sub/../../secret.png")));
    assertEquals(ErrorCode.FORBIDDEN, codeOf(() -> policy.resolveInput("/etc/passwd")));
  }

  @Test
  void aSymlinkOutOfTheRootIsForbidden() throws IOException {
    Files.createSymbolicLink(in.resolve("link.png"), secret);
    assertEquals(ErrorCode.FORBIDDEN, codeOf(() -> policy.resolveInput("link.png")));
    Files.createSymbolicLink(in.resolve("dir"), tmp);
    assertEquals(ErrorCode.FORBIDDEN, codeOf(() -> policy.resolveInput("dir/secret.png")));
  }

  @Test
  void missingFilesAreNotFoundAndFoldersAreBadRequests() throws IOException {
    PixelbusException e = assertThrows(PixelbusException.class, () -> policy.resolveInput("nope.png"));
    assertEquals(ErrorCode.NOT_FOUND.code, e.failureCode());
    assertTrue(e.getMessage().contains("nope.png"));
    Files.createDirectories(in.resolve("folder"));
    assertEquals(ErrorCode.BAD_REQUEST, codeOf(() -> policy.resolveInput("folder")));
    assertEquals(ErrorCode.BAD_REQUEST, codeOf(() -> policy.resolveInput("")));
  }

  @Test
  void outputsStayUnderTheOutputRoot() throws IOException {
    assertEquals(out.toRealPath().resolve("sub/x.png"), policy.resolveOutput("sub/x.png"));
    assertTrue(Files.isDirectory(out.resolve("sub")), "parent folders are created");
    assertEquals(ErrorCode.FORBIDDEN, codeOf(() -> policy.resolveOutput("../x.png")));
    assertEquals(ErrorCode.FORBIDDEN, codeOf(() -> policy.resolveOutput(tmp.resolve("x.png").toString())));
    Files.createSymbolicLink(out.resolve("escape"), tmp);
    assertEquals(ErrorCode.FORBIDDEN, codeOf(() -> policy.resolveOutput("escape/x.png")));
    // Refused before any folder is made behind the link.
    assertEquals(ErrorCode.FORBIDDEN, codeOf(() -> policy.resolveOutput("escape/made/here/x.png")));
    assertEquals(ErrorCode.FORBIDDEN, codeOf(() -> policy.resolveOutputDir("escape/made2")));
    assertTrue(!Files.exists(tmp.resolve("made")) && !Files.exists(tmp.resolve("made2")), "nothing created outside");
  }
}
