package io.heapsdk.cli;

import static io.heapsdk.cli.HeapCliTest.heap;
import static org.assertj.core.api.Assertions.assertThat;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.config.HeapConfigLoader;
import io.heapsdk.run.SourceTables;
import io.heapsdk.warehouse.Warehouses;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code heap} commands with a Japanese and Russian config on an H2 file database: the funnel and
 * attribution print the names as they are (the table aligned by terminal cells, CSV and JSON exact), the
 * SQL files are UTF-8, BigQuery's refusal of a non-ASCII dataset is one line, and the output stays UTF-8
 * when the JVM's default charset is ASCII ({@code LANG=C}).
 */
class UnicodeCliTest {
  private static final String CONFIG_YAML =
      """
      source:
        schema: "ヒープ"
        tables: {sessions: "сессии"}
      target: {schema: "分析"}
      funnel_events: ["閲覧", "购买🛒"]
      conversion_events: ["購入する"]
      channels:
        own_domain: "пример.рф"
      """;

  @TempDir Path tmp;
  private Path config;
  private String url;

  /**
   * Session 1 (user 1) comes from ПРИМЕР.РФ in capitals, session 3 (user 3) from пример.рф: both get the
   * own-domain channel пример.рф; session 2 (user 2) has no referrer: Direct. User 1: 閲覧 10:00,
   * 购买🛒 10:10, 購入する 10:20; user 2: 閲覧 10:00, 購入する 10:30; user 3: 閲覧 10:00, 购买🛒 11:00.
   */
  @BeforeEach
  void buildTheFacts() throws IOException, SQLException {
    config = tmp.resolve("heap.yml");
    Files.writeString(config, CONFIG_YAML, StandardCharsets.UTF_8);
    url = "jdbc:h2:file:" + tmp.resolve("db");
    HeapConfig c = HeapConfigLoader.load(config);
    SourceTables sources = new SourceTables(Warehouses.H2, c);
    try (Connection db = DriverManager.getConnection(url)) {
      sources.create(db);
      sources.insert(
          db, "sessions",
          List.of(session(1, 1, "https://ПРИМЕР.РФ/"), session(2, 2, null), session(3, 3, "https://пример.рф/каталог")));
      sources.insert(
          db, "all_events",
          List.of(
              event(11, 1, 1, "10:00", "閲覧"), event(12, 1, 1, "10:10", "购买🛒"), event(13, 1, 1, "10:20", "購入する"),
              event(21, 2, 2, "10:00", "閲覧"), event(22, 2, 2, "10:30", "購入する"),
              event(31, 3, 3, "10:00", "閲覧"), event(32, 3, 3, "11:00", "购买🛒")));
    }
    HeapCliTest.Result run = heap("run", "--config", config, "--jdbc", url);
    assertThat(run.code()).as(run.err()).isZero();
  }

  @Test
  void funnelByChannelAsCsvCarriesTheNames() {
    // Direct: user 2 enters, never reaches 购买🛒; пример.рф: users 1 (600 s) and 3 (3,600 s) both do,
    // median and average 2,100 s
    HeapCliTest.Result r = heap("funnel", "--config", config, "--jdbc", url, "--steps", "閲覧,购买🛒", "--breakdown", "channel", "--format", "csv");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out())
        .isEqualTo(
            """
            channel,step,event,entered,conversion_from_first,conversion_from_previous,drop_off,median_seconds_from_first,avg_seconds_from_first
            Direct,1,閲覧,1,1,,,0,0
            Direct,2,购买🛒,0,0,0,1,,
            пример.рф,1,閲覧,2,1,,,0,0
            пример.рф,2,购买🛒,2,1,1,0,2100,2100
            """);
  }

  @Test
  void funnelTableLinesUpCjkAndEmoji() {
    HeapCliTest.Result r = heap("funnel", "--config", config, "--jdbc", url, "--steps", "閲覧,购买🛒", "--breakdown", "channel");
    assertThat(r.code()).as(r.err()).isZero();
    List<String> lines = r.out().lines().toList();
    assertThat(lines.get(0)).startsWith("Funnel 閲覧 > 购买🛒 (ordered");
    List<String> table = lines.subList(1, 6);
    assertThat(table.get(2)).contains("Direct", "购买🛒");
    assertThat(table.get(3)).contains("пример.рф", "閲覧");
    // the last column is right-aligned: every line of the table ends at the same terminal column
    assertThat(table.stream().map(TextTable::width).distinct()).as(String.join("\n", table)).hasSize(1);
  }

  @Test
  void attributionAsJsonWritesTheTextItself() {
    // last touch: user 1's purchase to session 1 (пример.рф), user 2's to session 2 (Direct)
    HeapCliTest.Result r = heap("attribution", "--config", config, "--jdbc", url, "--model", "last_touch", "--format", "json");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("\"channel\" : \"пример.рф\"", "\"channel\" : \"Direct\"").doesNotContain("\\u");
  }

  @Test
  void compiledSqlIsUtf8() throws IOException {
    Path out = tmp.resolve("sql");
    HeapCliTest.Result r = heap("compile", "--config", config, "--warehouse", "snowflake", "--out", out);
    assertThat(r.code()).as(r.err()).isZero();
    byte[] bytes = Files.readAllBytes(out.resolve("snowflake").resolve("stg_heap_events_all_inc_fct.sql"));
    assertThat(strictUtf8(bytes)).contains("'购买🛒'", "'購入する'", "\"ヒープ\".\"ALL_EVENTS\"", "\"分析\".\"STG_HEAP_EVENTS_ALL_INC_FCT\"");
  }

  @Test
  void bigQueryRefusesTheDatasetInOneLine() {
    HeapCliTest.Result r = heap("compile", "--config", config, "--warehouse", "bigquery", "--out", tmp.resolve("sql"));
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err())
        .isEqualTo(
            "heap: bigquery cannot use source.schema \"ヒープ\" as a dataset name: BigQuery dataset names hold only ASCII letters,"
                + " digits and underscores (at most 1,024)\n");
  }

  /**
   * The real {@code main} in a JVM whose default charset is ASCII ({@code LANG=C}, as in many containers
   * and CI jobs): the attribution still prints UTF-8, not question marks.
   */
  @Test
  void printsUtf8UnderAnAsciiLocale() throws Exception {
    Process p = heapUnderLangC("attribution", "--config", config.toString(), "--jdbc", url, "--model", "last_touch");
    byte[] out = p.getInputStream().readAllBytes();
    byte[] err = p.getErrorStream().readAllBytes();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(new String(err, StandardCharsets.UTF_8)).isZero();
    assertThat(strictUtf8(out)).contains("пример.рф").contains("Direct").doesNotContain("?");
  }

  /** Under {@code LANG=C} Java cannot decode a non-ASCII argument: one line says so, exit 2. */
  @Test
  void saysSoWhenTheLocaleCannotDecodeAnArgument() throws Exception {
    Process p = heapUnderLangC("funnel", "--config", config.toString(), "--jdbc", url, "--steps", "閲覧,购买🛒");
    p.getInputStream().readAllBytes();
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isEqualTo(2);
    assertThat(err).startsWith("heap: argument \"").contains("could not decode; run heap under a UTF-8 locale, e.g. LANG=C.UTF-8");
  }

  /**
   * Under {@code LANG=C} Java cannot decode a working directory named in Cyrillic either, and resolved
   * relative paths against a directory of question marks: an {@code --out} there was written into a new
   * one, exit 0. One line says so instead, exit 2, and nothing is written.
   */
  @Test
  void saysSoWhenTheLocaleCannotDecodeTheWorkingDirectory(@TempDir Path temp) throws Exception {
    Path tmp = Files.createDirectory(temp.resolve("work"));
    Path dir = Files.createDirectory(tmp.resolve("каталог"));
    Process p = heapUnderLangC(dir, "compile", "--config", config.toString(), "--warehouse", "snowflake", "--out", "sql");
    p.getInputStream().readAllBytes();
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(err).isEqualTo(2);
    assertThat(err)
        .startsWith("heap: the working directory's name holds characters the locale's charset")
        .contains("run heap under a UTF-8 locale, e.g. LANG=C.UTF-8, or from another directory");
    try (Stream<Path> written = Files.list(tmp)) {
      assertThat(written).containsExactly(dir);
    }
    try (Stream<Path> written = Files.list(dir)) {
      assertThat(written).isEmpty();
    }
    // the version reads no path: it runs there
    Process version = heapUnderLangC(dir, "--version");
    version.getErrorStream().readAllBytes();
    assertThat(new String(version.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).startsWith("heap ");
    assertThat(version.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(version.exitValue()).isZero();
  }

  private static Process heapUnderLangC(String... args) throws IOException {
    return heapUnderLangC(null, args);
  }

  /** heap under {@code LANG=C}, in {@code dir} (this JVM's working directory when null). */
  private static Process heapUnderLangC(Path dir, String... args) throws IOException {
    ProcessBuilder pb =
        HeapProcess.builder(
            env -> {
              env.remove("LANGUAGE");
              env.put("LANG", "C");
              env.put("LC_ALL", "C");
            },
            args);
    if (dir != null) {
      pb.directory(dir.toFile());
    }
    return pb.start();
  }

  /** The bytes as UTF-8, failing on any byte sequence that is not. */
  private static String strictUtf8(byte[] bytes) throws CharacterCodingException {
    return StandardCharsets.UTF_8
        .newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT)
        .decode(ByteBuffer.wrap(bytes))
        .toString();
  }

  private static Object[] session(long id, long user, String referrer) {
    return new Object[] {
      id, user, LocalDateTime.parse("2024-01-10T09:00:00"), "web", null, null, null, "日本", null, "東京", null, referrer, "/",
      null, null, "Chrome", null, null, null, null, null
    };
  }

  private static Object[] event(long id, long user, long session, String time, String name) {
    return new Object[] {id, user, session, LocalDateTime.parse("2024-01-10T" + time + ":00"), name};
  }
}
