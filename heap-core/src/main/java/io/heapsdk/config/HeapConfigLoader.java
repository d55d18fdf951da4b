package io.heapsdk.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import io.heapsdk.internal.NearestNames;
import io.heapsdk.source.ColumnType;
import io.heapsdk.source.PassThroughColumn;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads a {@link HeapConfig} from YAML.
 *
 * <p>Reads the YAML as a tree and walks it key by key, so that every error names its key path: an
 * unknown key (with the keys allowed there), a value of the wrong type, a duplicated key. Values are then
 * validated by {@link HeapConfig}'s own checks, re-labelled with the file name. Thread-safe.
 */
public final class HeapConfigLoader {
  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory()).enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  private HeapConfigLoader() {}

  /**
   * The largest config read, in bytes (and characters). A Heap config is a few kilobytes; YAML parsing
   * slows down badly on megabyte-long values, so a larger file is refused before parsing.
   */
  public static final int MAX_SIZE = 1 << 20;

  /**
   * The longest line read, in characters. The YAML scanner's time grows with the square of its longest
   * token (a 5 MB value took 9 s), so a huge value is refused by its line's length before parsing.
   */
  public static final int MAX_LINE = 1 << 16;

  /**
   * How deep mappings and lists may nest. The deepest real config (channel rules with nested all / any)
   * needs about a dozen levels; the limit refuses machine-made nesting before the parser's own.
   */
  public static final int MAX_DEPTH = 100;

  /** Reads and validates the file: UTF-8 text (a UTF-8 byte order mark is skipped), one YAML document. */
  public static HeapConfig load(Path file) {
    String origin = file.toString();
    if (origin.isEmpty()) {
      // Path.of("") is the working directory: "cannot read: Is a directory" named no file at all
      throw new HeapConfigException("(empty path)", "(file)", "no file named; give the path of the config file");
    }
    if (Files.isDirectory(file)) {
      Path inside = file.resolve("heap.yml");
      throw new HeapConfigException(
          origin, "(file)", "a directory, not a config file" + (Files.isRegularFile(inside) ? "; did you mean " + inside + "?" : ""));
    }
    byte[] bytes;
    try {
      if (Files.isRegularFile(file) && Files.size(file) > MAX_SIZE) {
        throw tooLarge(origin, Files.size(file));
      }
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new HeapConfigException(origin, "(file)", "no such file");
    } catch (IOException e) {
      throw new HeapConfigException(origin, "(file)", "cannot read: " + ioReason(e));
    }
    return parse(Utf8.decode(bytes, origin), origin);
  }

  /**
   * Reads a config from {@code in} (standard input, for {@code --config -}) as {@link #load(Path)} reads a
   * file: strict UTF-8, at most {@link #MAX_SIZE} bytes; {@code origin} names it in error messages.
   */
  public static HeapConfig read(InputStream in, String origin) {
    byte[] bytes;
    try {
      bytes = in.readNBytes(MAX_SIZE + 1);
    } catch (IOException e) {
      throw new HeapConfigException(origin, "(file)", "cannot read: " + ioReason(e));
    }
    if (bytes.length > MAX_SIZE) {
      throw tooLarge(origin, bytes.length);
    }
    return parse(Utf8.decode(bytes, origin), origin);
  }

  /**
   * Parses and validates YAML text; {@code origin} names it in error messages. One document only; YAML
   * anchors and aliases are refused (see the README's config reference).
   */
  public static HeapConfig parse(String yaml, String origin) {
    if (yaml.length() > MAX_SIZE) {
      throw tooLarge(origin, yaml.length());
    }
    checkLines(yaml, origin);
    Tree tree;
    try {
      tree = readTree(yaml, origin);
    } catch (JsonProcessingException e) {
      String line = yamlLocation(e);
      String path = keyPath(e);
      if (e.getOriginalMessage().startsWith("Duplicate") && !path.isEmpty()) {
        // the parser knows which key was repeated: name it, as every other error does
        throw new HeapConfigException(origin, path, "duplicate key (" + line + "); each key may appear once");
      }
      throw new HeapConfigException(origin, line, "not valid YAML: " + tabProblem(e, yaml).orElseGet(() -> yamlProblem(e)));
    }
    HeapConfig.Builder b = HeapConfig.builder().origin(origin);
    if (tree.root() != null && !tree.root().isNull()) {
      new Reader(origin, tree.typed()).readRoot(tree.root(), b);
    }
    return b.build();
  }

  /**
   * Line lengths, and characters YAML does not allow in a file (the parser would only say "special
   * characters are not allowed" at line 1, column 1): control characters other than tab and line
   * breaks, unpaired surrogates, U+FFFE and U+FFFF. Escapes in double quotes ({@code "\u0001"}) are
   * not affected; the config's own checks refuse NUL and unpaired surrogates whatever their spelling.
   */
  private static void checkLines(String yaml, String origin) {
    int line = 1;
    int start = 0;
    for (int i = 0; i <= yaml.length(); i++) {
      if (i == yaml.length() || yaml.charAt(i) == '\n') {
        if (i - start > MAX_LINE) {
          throw new HeapConfigException(
              origin,
              "line " + line,
              String.format(Locale.ROOT, "%,d characters long; a config's lines hold at most %,d (is it the right file?)", i - start, MAX_LINE));
        }
        line++;
        start = i + 1;
        continue;
      }
      char c = yaml.charAt(i);
      boolean pair = Character.isHighSurrogate(c) && i + 1 < yaml.length() && Character.isLowSurrogate(yaml.charAt(i + 1));
      if (pair) {
        i++;
      } else if (!allowed(c)) {
        String where = "line " + line + ", column " + (yaml.codePointCount(start, i) + 1);
        String code = String.format(Locale.ROOT, "U+%04X", (int) c);
        String problem =
            c == '\0'
                ? "a NUL character (U+0000), which a config cannot hold; remove it"
                : Character.isSurrogate(c)
                    ? "an unpaired surrogate (" + code + "), which is not Unicode text; fix the text"
                    : "a control character (" + code + "), which YAML does not allow in a file; remove it";
        throw new HeapConfigException(origin, where, problem);
      }
    }
  }

  /** YAML's printable characters (YAML 1.1 §5.1), but for surrogates, which pair up above. */
  private static boolean allowed(char c) {
    return c == '\t' || c == '\r' || (c >= 0x20 && c <= 0x7E) || c == 0x85 || (c >= 0xA0 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD);
  }

  private static HeapConfigException tooLarge(String origin, long size) {
    return new HeapConfigException(
        origin, "(file)", String.format(Locale.ROOT, "%,d bytes is more than a config may hold (%,d); is it the right file?", size, MAX_SIZE));
  }

  /** What an I/O error says, without the exception's class name. */
  private static String ioReason(IOException e) {
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof FileSystemException fs && fs.getReason() != null) {
      return fs.getReason();
    }
    return e.getMessage() == null ? "I/O error" : e.getMessage();
  }

  /**
   * The document as a tree, and the text as typed of each value YAML read as a number or a boolean, by key
   * path: {@code 1e3}, {@code 0x1F} or {@code 010} as an event name is the text the user typed, not
   * YAML's {@code 1000.0}, {@code 31} or {@code 8} (a tree keeps only the number).
   */
  private record Tree(JsonNode root, Map<String, String> typed) {}

  /**
   * Reads the YAML's tokens into a tree, refusing what a tree would hide: an alias ({@code *name}) read as
   * the text {@code name}, a second document ({@code ---}) dropped, and deep nesting that hits the
   * parser's limit with a message about its API. Numbers are kept as typed beside the tree, and a number
   * Java cannot hold ({@code .inf}, {@code .nan}) is its text (Jackson's own tree refused the file:
   * "Malformed numeric value").
   */
  private static Tree readTree(String yaml, String origin) throws JsonProcessingException {
    try (JsonParser p = YAML.getFactory().createParser(yaml)) {
      Map<String, String> typed = new HashMap<>();
      JsonToken first = p.nextToken();
      if (first == null) {
        return new Tree(null, typed);
      }
      JsonNode root = node(p, first, 1, origin, typed);
      JsonToken more = p.nextToken();
      if (more == JsonToken.VALUE_NULL && p.getText().isEmpty() && p.nextToken() == null) {
        // a `---` (or `--- ...`) closing the file opens a document with nothing in it: an editor's habit, not a
        // second config (it was refused as one, at a line past the file's end)
        more = null;
      }
      if (more != null) {
        throw new HeapConfigException(
            origin, at(p), "a second YAML document (after ---); a config is one document: merge them or remove one");
      }
      return new Tree(root, typed);
    } catch (IOException e) {
      if (e instanceof JsonProcessingException j) {
        throw j;
      }
      throw new IllegalStateException("reading a string cannot fail with I/O", e);
    }
  }

  private static JsonNode node(JsonParser p, JsonToken t, int depth, String origin, Map<String, String> typed) throws IOException {
    if (p instanceof YAMLParser y && y.isCurrentAlias()) {
      String path = keyPathOf(p);
      throw new HeapConfigException(
          origin,
          path.isEmpty() ? "(top level)" : path,
          "*" + p.getText() + " is a YAML alias (" + at(p) + "); anchors and aliases are not supported: write the value out");
    }
    if (t.isStructStart() && depth > MAX_DEPTH) {
      throw new HeapConfigException(
          origin, at(p), "mappings and lists nested more than " + MAX_DEPTH + " levels deep; a config needs a handful");
    }
    switch (t) {
      case START_OBJECT: {
        ObjectNode object = JsonNodeFactory.instance.objectNode();
        for (JsonToken next = p.nextToken(); next != JsonToken.END_OBJECT; next = p.nextToken()) {
          // a FIELD_NAME; the parser refuses a duplicate (STRICT_DUPLICATE_DETECTION)
          String name = p.currentName();
          object.set(name, node(p, p.nextToken(), depth + 1, origin, typed));
        }
        return object;
      }
      case START_ARRAY: {
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        for (JsonToken next = p.nextToken(); next != JsonToken.END_ARRAY; next = p.nextToken()) {
          array.add(node(p, next, depth + 1, origin, typed));
        }
        return array;
      }
      case VALUE_STRING:
        return TextNode.valueOf(p.getText());
      case VALUE_TRUE:
      case VALUE_FALSE:
        typed.put(keyPathOf(p), p.getText());
        return BooleanNode.valueOf(t == JsonToken.VALUE_TRUE);
      case VALUE_NULL:
        return NullNode.instance;
      case VALUE_NUMBER_INT:
      case VALUE_NUMBER_FLOAT:
        typed.put(keyPathOf(p), p.getText());
        try {
          if (t == JsonToken.VALUE_NUMBER_FLOAT) {
            return DoubleNode.valueOf(p.getDoubleValue());
          }
          return switch (p.getNumberType()) {
            case INT -> IntNode.valueOf(p.getIntValue());
            case LONG -> LongNode.valueOf(p.getLongValue());
            default -> BigIntegerNode.valueOf(p.getBigIntegerValue());
          };
        } catch (JsonProcessingException | NumberFormatException e) {
          return TextNode.valueOf(p.getText());
        }
      default:
        // an embedded value (!!binary): its text
        return TextNode.valueOf(p.getText());
    }
  }

  private static String at(JsonParser p) {
    JsonLocation l = p.currentTokenLocation();
    return "line " + l.getLineNr() + ", column " + l.getColumnNr();
  }

  /**
   * The parser's problem in words: SnakeYAML's description without its quoted excerpt, and Jackson's
   * limits without the name of the Java setting behind them.
   */
  /**
   * Where the YAML went wrong: SnakeYAML's mark of the problem itself (the tab, the badly indented key),
   * where it gives one; Jackson's own location is where its parser stood, often the end of the line
   * before (a tab opening line 4 was reported at line 3's end).
   */
  private static String yamlLocation(JsonProcessingException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof org.yaml.snakeyaml.error.MarkedYAMLException marked && marked.getProblemMark() != null) {
        return "line " + (marked.getProblemMark().getLine() + 1) + ", column " + (marked.getProblemMark().getColumn() + 1);
      }
    }
    return e.getLocation() == null
        ? "(yaml)"
        : "line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
  }

  /**
   * A tab where the YAML reader takes only spaces. SnakeYAML says "Do not use \\t(TAB) for indentation"
   * wherever the tab is, also after a key's colon or a list's comma ({@code own_domain:<TAB>example.com}),
   * where a reader looking for indentation finds none.
   */
  private static Optional<String> tabProblem(JsonProcessingException e, String yaml) {
    if (!e.getOriginalMessage().contains("found character '\\t(TAB)'")) {
      return Optional.empty();
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof org.yaml.snakeyaml.error.MarkedYAMLException marked && marked.getProblemMark() != null) {
        String[] lines = yaml.split("\n", -1);
        int lineIndex = marked.getProblemMark().getLine();
        String before = lineIndex < lines.length ? lines[lineIndex].substring(0, Math.min(marked.getProblemMark().getColumn(), lines[lineIndex].length())) : "";
        return Optional.of(
            before.isBlank()
                ? "a tab indents this line; YAML indents with spaces only: replace the tab with spaces"
                : "a tab after \"" + before.strip() + "\"; this YAML reader separates values with spaces only: replace the tab with a space");
      }
    }
    return Optional.of("a tab character, where YAML takes spaces only: replace it with a space");
  }

  private static String yamlProblem(JsonProcessingException e) {
    List<String> kept = new ArrayList<>();
    for (String line : e.getOriginalMessage().split("\n")) {
      String l = line.strip();
      // SnakeYAML adds "in 'reader', line 2, column 16:" and the offending line with a ^ under it
      if (l.isEmpty() || l.startsWith("in 'reader'") || line.startsWith("    ")) {
        continue;
      }
      kept.add(l);
    }
    String text = kept.isEmpty() ? e.getOriginalMessage().strip() : String.join("; ", kept);
    if (text.startsWith("Expected a field name")) {
      // Jackson reads keys as text; YAML allows a list or mapping as a key (`? [a, b]`)
      return "a key must be text, not a list or mapping";
    }
    // Jackson's limits name the Java setting behind them; any other message may quote a parser class
    return text.replaceAll(",? ?from `[^`]*`", "").replaceAll("<?(?:org\\.yaml\\.snakeyaml|com\\.fasterxml\\.jackson)[\\w.$]*(?:\\([^)]*\\))?>?", "(…)");
  }

  /** The dotted key path where the parser stopped, e.g. {@code source.schema} for a duplicated key. */
  private static String keyPath(JsonProcessingException e) {
    if (!(e.getProcessor() instanceof JsonParser parser)) {
      return "";
    }
    return keyPathOf(parser);
  }

  private static String keyPathOf(JsonParser parser) {
    List<String> parts = new ArrayList<>();
    for (JsonStreamContext c = parser.getParsingContext(); c != null && !c.inRoot(); c = c.getParent()) {
      if (c.inObject() && c.getCurrentName() != null) {
        parts.add(0, c.getCurrentName());
      } else if (c.inArray()) {
        parts.add(0, "[" + Math.max(0, c.getCurrentIndex()) + "]");
      }
    }
    return String.join(".", parts).replace(".[", "[");
  }

  /** Walks the tree; one instance per parse. */
  private static final class Reader {
    private final String origin;
    /** Each number's and boolean's text as typed, by key path ({@link Tree}). */
    private final Map<String, String> typed;

    Reader(String origin, Map<String, String> typed) {
      this.origin = origin;
      this.typed = typed;
    }

    void readRoot(JsonNode root, HeapConfig.Builder b) {
      Map<String, JsonNode> top =
          object(
              root,
              "",
              Set.of(
                  "source", "target", "funnel_events", "conversion_events", "sessionization", "sessions",
                  "channels", "incremental", "models", "identity", "users"));
      if (top.containsKey("source")) {
        readSource(top.get("source"), b);
      }
      if (top.containsKey("target")) {
        Map<String, JsonNode> t = object(top.get("target"), "target", Set.of("database", "schema", "location"));
        if (t.containsKey("database")) {
          b.targetDatabase(text(t.get("database"), "target.database"));
        }
        if (t.containsKey("schema")) {
          b.targetSchema(text(t.get("schema"), "target.schema"));
        }
        if (t.containsKey("location")) {
          b.targetLocation(text(t.get("location"), "target.location"));
        }
      }
      if (top.containsKey("funnel_events")) {
        b.funnelEvents(list(top.get("funnel_events"), "funnel_events", this::text));
      }
      if (top.containsKey("conversion_events")) {
        b.conversionEvents(list(top.get("conversion_events"), "conversion_events", this::text));
      }
      if (top.containsKey("sessionization")) {
        Map<String, JsonNode> s = object(top.get("sessionization"), "sessionization", Set.of("timeout_minutes"));
        if (s.containsKey("timeout_minutes")) {
          b.sessionTimeoutMinutes(integer(s.get("timeout_minutes"), "sessionization.timeout_minutes"));
        }
      }
      if (top.containsKey("sessions")) {
        Map<String, JsonNode> s = object(top.get("sessions"), "sessions", Set.of("conversion_window_days"));
        if (s.containsKey("conversion_window_days")) {
          b.conversionWindowDays(integer(s.get("conversion_window_days"), "sessions.conversion_window_days"));
        }
      }
      if (top.containsKey("channels")) {
        readChannels(top.get("channels"), b);
      }
      if (top.containsKey("incremental")) {
        Map<String, JsonNode> s = object(top.get("incremental"), "incremental", Set.of("late_arrival_lookback_days", "run_history_days", "reconcile", "count_rows_behind_mark"));
        if (s.containsKey("late_arrival_lookback_days")) {
          b.lateArrivalLookbackDays(
              integer(s.get("late_arrival_lookback_days"), "incremental.late_arrival_lookback_days"));
        }
        if (s.containsKey("run_history_days")) {
          b.runHistoryDays(integer(s.get("run_history_days"), "incremental.run_history_days"));
        }
        if (s.containsKey("reconcile")) {
          b.reconcile(bool(s.get("reconcile"), "incremental.reconcile"));
        }
        if (s.containsKey("count_rows_behind_mark")) {
          b.countRowsBehindMark(bool(s.get("count_rows_behind_mark"), "incremental.count_rows_behind_mark"));
        }
      }
      if (top.containsKey("identity")) {
        Map<String, JsonNode> s = object(top.get("identity"), "identity", Set.of("resolve_migrations"));
        if (s.containsKey("resolve_migrations")) {
          b.resolveMigrations(bool(s.get("resolve_migrations"), "identity.resolve_migrations"));
        }
      }
      if (top.containsKey("users")) {
        Map<String, JsonNode> s = object(top.get("users"), "users", Set.of("enabled"));
        if (s.containsKey("enabled")) {
          b.usersEnabled(bool(s.get("enabled"), "users.enabled"));
        }
      }
      if (top.containsKey("models")) {
        object(top.get("models"), "models", null)
            .forEach((model, node) -> b.putPhysicalOptions(model, physical(node, "models." + model)));
      }
    }

    private void readSource(JsonNode node, HeapConfig.Builder b) {
      Map<String, JsonNode> s =
          object(node, "source", Set.of("database", "schema", "tables", "columns", "pageview_properties", "session_properties", "freshness"));
      if (s.containsKey("database")) {
        b.sourceDatabase(text(s.get("database"), "source.database"));
      }
      if (s.containsKey("schema")) {
        b.sourceSchema(text(s.get("schema"), "source.schema"));
      }
      if (s.containsKey("tables")) {
        object(s.get("tables"), "source.tables", null)
            .forEach((k, v) -> b.putSourceTables(k, text(v, "source.tables." + k)));
      }
      if (s.containsKey("columns")) {
        object(s.get("columns"), "source.columns", null)
            .forEach(
                (table, cols) ->
                    object(cols, "source.columns." + table, null)
                        .forEach(
                            (col, v) ->
                                b.putSourceColumns(
                                    table + "." + col, text(v, "source.columns." + table + "." + col))));
      }
      if (s.containsKey("freshness")) {
        Map<String, JsonNode> f =
            object(s.get("freshness"), "source.freshness", Set.of("warn_after_hours", "error_after_hours", "skip_tables"));
        if (f.containsKey("warn_after_hours")) {
          b.freshnessWarnAfterHours(integer(f.get("warn_after_hours"), "source.freshness.warn_after_hours"));
        }
        if (f.containsKey("error_after_hours")) {
          b.freshnessErrorAfterHours(integer(f.get("error_after_hours"), "source.freshness.error_after_hours"));
        }
        if (f.containsKey("skip_tables")) {
          b.freshnessSkipTables(list(f.get("skip_tables"), "source.freshness.skip_tables", this::text));
        }
      }
      if (s.containsKey("pageview_properties")) {
        b.pageviewProperties(list(s.get("pageview_properties"), "source.pageview_properties", this::passThrough));
      }
      if (s.containsKey("session_properties")) {
        b.sessionProperties(list(s.get("session_properties"), "source.session_properties", this::passThrough));
      }
    }

    private PhysicalOptions physical(JsonNode node, String path) {
      Map<String, JsonNode> m =
          object(node, path, Set.of("partition_by", "partition_granularity", "cluster_by", "dist_key", "sort_key"));
      // cluster_by: none, a word rather than a list: no clustering key where the default would give one
      boolean unclustered = m.containsKey("cluster_by") && m.get("cluster_by").isTextual() && m.get("cluster_by").textValue().equals("none");
      PhysicalOptions options = new PhysicalOptions(
          m.containsKey("partition_by")
              ? Optional.of(text(m.get("partition_by"), path + ".partition_by"))
              : Optional.empty(),
          m.containsKey("cluster_by") && !unclustered ? columnList(m.get("cluster_by"), path + ".cluster_by") : List.of(),
          m.containsKey("dist_key") ? Optional.of(text(m.get("dist_key"), path + ".dist_key")) : Optional.empty(),
          m.containsKey("sort_key") ? columnList(m.get("sort_key"), path + ".sort_key") : List.of(),
          m.containsKey("partition_granularity")
              ? Optional.of(granularity(m.get("partition_granularity"), path + ".partition_granularity"))
              : Optional.empty());
      return unclustered ? options.withoutClustering() : options;
    }

    /**
     * {@code cluster_by} and {@code sort_key}: at least one column. An empty list would read as "none",
     * which is written {@code cluster_by: none}: left out, a model gets its default, and so would an empty
     * list, silently; it is refused instead.
     */
    private List<String> columnList(JsonNode node, String path) {
      List<String> columns = list(node, path, this::text);
      if (columns.isEmpty()) {
        throw new HeapConfigException(
            origin, path,
            "an empty list; name at least one column, or leave the key out for the model's default ("
                + (path.endsWith(".sort_key") ? "its time column" : "its user column") + ")"
                + (path.endsWith(".cluster_by") ? ", or write cluster_by: none for no clustering key" : ""));
      }
      return columns;
    }

    private PhysicalOptions.Granularity granularity(JsonNode node, String path) {
      String value = text(node, path);
      for (PhysicalOptions.Granularity g : PhysicalOptions.Granularity.values()) {
        if (g.key().equals(value)) {
          return g;
        }
      }
      throw new HeapConfigException(origin, path, "expected day, month or year, got \"" + value + "\"");
    }

    private PassThroughColumn passThrough(JsonNode node, String path) {
      if (node.isTextual()) {
        return PassThroughColumn.varchar(node.asText());
      }
      Map<String, JsonNode> m = object(node, path, Set.of("name", "type"));
      String name = text(required(m, "name", path), path + ".name");
      ColumnType type = ColumnType.VARCHAR;
      if (m.containsKey("type")) {
        String t = text(m.get("type"), path + ".type");
        type = ColumnType.parse(t);
        if (type == null) {
          throw error(path + ".type", "unknown type \"" + t + "\"; expected one of varchar, bigint, double, boolean, timestamp (or string, text, int,"
              + " integer, int64, float, float64, bool)");
        }
      }
      return new PassThroughColumn(name, type);
    }

    private void readChannels(JsonNode node, HeapConfig.Builder b) {
      Map<String, JsonNode> c = object(node, "channels", Set.of("own_domain", "fallback", "rules"));
      if (c.containsKey("own_domain")) {
        b.ownDomain(text(c.get("own_domain"), "channels.own_domain"));
      }
      if (c.containsKey("fallback")) {
        b.fallbackChannel(text(c.get("fallback"), "channels.fallback"));
      }
      if (c.containsKey("rules")) {
        List<ChannelRule> rules = list(c.get("rules"), "channels.rules", this::rule);
        if (rules.isEmpty()) {
          throw error("channels.rules", "expected at least one rule; leave the key out to keep the default rules");
        }
        b.channelRules(rules);
      }
    }

    private ChannelRule rule(JsonNode node, String path) {
      Map<String, JsonNode> m = object(node, path, Set.of("channel", "when"));
      String channel = text(required(m, "channel", path), path + ".channel");
      return new ChannelRule(channel, condition(required(m, "when", path), path + ".when"));
    }

    private Condition condition(JsonNode node, String path) {
      Map<String, JsonNode> m =
          object(node, path, Set.of("all", "any", "field", "contains", "equals", "is_null", "is_not_null"));
      if (m.containsKey("all") || m.containsKey("any")) {
        if (m.size() != 1) {
          throw error(path, "expected exactly one of all / any, or a field test; got keys " + new TreeSet<>(m.keySet()));
        }
        String key = m.containsKey("all") ? "all" : "any";
        List<Condition> list = list(m.get(key), path + "." + key, this::condition);
        return key.equals("all") ? new Condition.All(list) : new Condition.Any(list);
      }
      String field = text(required(m, "field", path), path + ".field");
      List<String> tests = new ArrayList<>(m.keySet());
      tests.remove("field");
      if (tests.size() != 1) {
        throw error(path, "expected exactly one of contains, equals, is_null, is_not_null next to field; got " + new TreeSet<>(tests));
      }
      String test = tests.get(0);
      JsonNode v = m.get(test);
      switch (test) {
        case "contains":
          return new Condition.Contains(field, text(v, path + ".contains"));
        case "equals":
          return new Condition.EqualTo(field, text(v, path + ".equals"));
        case "is_null":
          requireTrue(v, path + ".is_null");
          return new Condition.IsNull(field);
        default:
          requireTrue(v, path + ".is_not_null");
          return new Condition.IsNotNull(field);
      }
    }

    private void requireTrue(JsonNode v, String path) {
      if (!v.isBoolean() || !v.booleanValue()) {
        throw error(path, "expected true, got " + describe(v));
      }
    }

    private JsonNode required(Map<String, JsonNode> m, String key, String path) {
      JsonNode v = m.get(key);
      if (v == null) {
        throw error(path.isEmpty() ? key : path + "." + key, "missing; this key is required");
      }
      return v;
    }

    /** The entries of a mapping; {@code allowed} null = any key. */
    private Map<String, JsonNode> object(JsonNode node, String path, Set<String> allowed) {
      if (!node.isObject()) {
        throw error(path.isEmpty() ? "(top level)" : path, "expected a mapping of keys, got " + describe(node));
      }
      Map<String, JsonNode> result = new java.util.LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        String key = e.getKey();
        String keyPath = path.isEmpty() ? key : path + "." + key;
        if (allowed != null && !allowed.contains(key)) {
          throw error(keyPath, "unknown key" + NearestNames.didYouMean(key, allowed, "expected one of", new TreeSet<>(allowed).toString()));
        }
        result.put(key, e.getValue());
      }
      return result;
    }

    private <T> List<T> list(JsonNode node, String path, ElementReader<T> element) {
      if (!node.isArray()) {
        throw error(path, "expected a list, got " + describe(node));
      }
      List<T> result = new ArrayList<>();
      for (int i = 0; i < node.size(); i++) {
        result.add(element.read(node.get(i), path + "[" + i + "]"));
      }
      return result;
    }

    private String text(JsonNode node, String path) {
      if (node.isTextual()) {
        return node.textValue();
      }
      if (node.isNumber()) {
        // YAML reads `schema: 2024` or an event `1e3` as a number; the text typed is what the user meant (the
        // number's own text changed it: 1e3 became 1000.0, 0x1F 31, 010 8, 1_000 1000)
        return typed.getOrDefault(path, node.asText());
      }
      if (node.isBoolean()) {
        // YAML 1.1 reads NO, yes, on, off as booleans: refuse rather than guess which word was meant
        String word = typed.getOrDefault(path, node.asText());
        throw error(path, "expected a text value, got " + word + ", which YAML reads as " + node.asText() + "; quote it (\"" + word
            + "\") if you meant the text");
      }
      throw error(path, "expected a text value, got " + describe(node));
    }

    private boolean bool(JsonNode node, String path) {
      if (node.isBoolean()) {
        return node.booleanValue();
      }
      throw error(path, "expected true or false, got " + describe(node));
    }

    private int integer(JsonNode node, String path) {
      if (node.isIntegralNumber() && node.canConvertToInt()) {
        return node.intValue();
      }
      if (node.isIntegralNumber()) {
        // a whole number all the same: "not a whole number" misled (the key's own range is checked later)
        String digits = node.asText();
        throw error(
            path,
            "expected a whole number from " + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE + ", got "
                + (digits.length() <= 40 ? digits : digits.substring(0, 40) + "… (" + digits.length() + " characters)"));
      }
      throw error(path, "expected a whole number, got " + describe(node));
    }

    private static String describe(JsonNode node) {
      if (node.isNull()) {
        return "nothing (null)";
      }
      if (node.isTextual()) {
        return "the text " + quoted(node.textValue());
      }
      if (node.isArray()) {
        return "a list";
      }
      if (node.isObject()) {
        return "a mapping";
      }
      return node.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + " " + node.asText();
    }

    /** A value as an error message quotes it: a long one cut, with its length. */
    private static String quoted(String text) {
      int length = text.codePointCount(0, text.length());
      if (length <= 60) {
        return "\"" + text + "\"";
      }
      return "\"" + text.substring(0, text.offsetByCodePoints(0, 40)) + "…\" (" + length + " characters)";
    }

    private HeapConfigException error(String path, String problem) {
      return new HeapConfigException(origin, path, problem);
    }
  }

  @FunctionalInterface
  private interface ElementReader<T> {
    T read(JsonNode node, String path);
  }

}
