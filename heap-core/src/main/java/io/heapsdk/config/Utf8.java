package io.heapsdk.config;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Decodes a config file as strict UTF-8, and says where it is not: the byte, its line and column, or
 * that the file is UTF-16 or UTF-32 (a byte order mark). A UTF-8 byte order mark, which some Windows
 * editors write, is skipped.
 */
final class Utf8 {
  private Utf8() {}

  static String decode(byte[] bytes, String origin) {
    if (startsWith(bytes, 0x00, 0x00, 0xFE, 0xFF) || startsWith(bytes, 0xFF, 0xFE, 0x00, 0x00)) {
      throw notUtf8(origin, "it starts with a UTF-32 byte order mark");
    }
    if (startsWith(bytes, 0xFE, 0xFF) || startsWith(bytes, 0xFF, 0xFE)) {
      throw notUtf8(origin, "it starts with a UTF-16 byte order mark");
    }
    int start = startsWith(bytes, 0xEF, 0xBB, 0xBF) ? 3 : 0;
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes, start, bytes.length - start);
    CharBuffer out = CharBuffer.allocate(bytes.length);
    CoderResult r = decoder.decode(in, out, true);
    if (!r.isError()) {
      r = decoder.flush(out);
    }
    if (r.isError()) {
      int bad = in.position();
      throw notUtf8(
          origin,
          String.format(Locale.ROOT, "byte 0x%02X at %s", bytes[bad] & 0xFF, where(bytes, start, bad)));
    }
    String text = out.flip().toString();
    int nul = text.indexOf('\0');
    if (nul >= 0 && text.chars().filter(c -> c == 0).count() * 4 >= text.length()) {
      // every other byte NUL: UTF-16 without a byte order mark (a stray NUL is the loader's to report)
      int offset = start + text.substring(0, nul).getBytes(StandardCharsets.UTF_8).length;
      throw notUtf8(origin, "NUL bytes from " + where(bytes, start, offset) + " on; UTF-16 text?");
    }
    return text;
  }

  /** "line L, column C" of the byte at {@code offset}; the column counts the characters before it on its line. */
  private static String where(byte[] bytes, int start, int offset) {
    int line = 1;
    int lineStart = start;
    for (int i = start; i < offset; i++) {
      if (bytes[i] == '\n') {
        line++;
        lineStart = i + 1;
      }
    }
    // the bytes before it on its line decoded fine, so they are whole UTF-8 characters
    int column = codePoints(new String(bytes, lineStart, offset - lineStart, StandardCharsets.UTF_8)) + 1;
    return "line " + line + ", column " + column;
  }

  private static int codePoints(String s) {
    return s.codePointCount(0, s.length());
  }

  private static boolean startsWith(byte[] bytes, int... prefix) {
    if (bytes.length < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if ((bytes[i] & 0xFF) != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  private static HeapConfigException notUtf8(String origin, String detail) {
    return new HeapConfigException(origin, "(file)", "not UTF-8 text (" + detail + "); save the file as UTF-8");
  }
}
