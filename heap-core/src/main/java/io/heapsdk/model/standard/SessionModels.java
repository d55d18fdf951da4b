package io.heapsdk.model.standard;

import static io.heapsdk.model.standard.StandardModels.EVENTS_FACT;
import static io.heapsdk.model.standard.StandardModels.SESSIONS_EPHEMERAL;
import static io.heapsdk.model.standard.StandardModels.SESSIONS_FACT;

import com.google.common.collect.ImmutableList;
import io.heapsdk.config.HeapConfig;
import io.heapsdk.model.Exprs;
import io.heapsdk.model.HeapProject;
import io.heapsdk.model.ModelBuilder;
import io.heapsdk.model.PlanContext;
import io.heapsdk.model.PlanMode;
import io.heapsdk.source.PassThroughColumn;
import io.heapsdk.source.SourceCatalog;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.JoinRelType;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexSubQuery;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.tools.RelBuilder;

/**
 * {@code src_heap_sessions_eph} and {@code stg_heap_sessions_inc_fct}: Heap's sessions, deduped, with
 * channel attribution, funnel step counts and conversions (SPEC §3).
 */
final class SessionModels {
  /** Heap sessions column (logical name) to its name in the models. */
  static final Map<String, String> COLUMNS = sessionColumns();

  /** The channel the rules give a session. */
  static final String CHANNEL = "heap_session_defined_channel_attribution";

  /** The columns whose names depend on the config: {@link #lookback}, {@link #lookforward}, {@link #funnelStep}. */
  private static final Pattern CONFIGURED_COLUMN =
      Pattern.compile("heap_session_conversion_look(back|forward)_[1-9][0-9]*d|heap_session_funnel_step_[1-9][0-9]*_cnt");

  private SessionModels() {}

  private static Map<String, String> sessionColumns() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("session_id", "heap_session_id");
    m.put("user_id", "heap_user_id");
    m.put("time", "heap_session_start_time");
    for (String c :
        List.of(
            "country", "region", "city", "ip", "referrer", "landing_page", "landing_page_query",
            "landing_page_hash", "browser", "utm_source", "utm_campaign", "utm_medium", "utm_term",
            "utm_content", "library", "platform", "device_type", "device")) {
      m.put(c, "heap_session_" + c);
    }
    return m;
  }

  static void define(HeapProject project) {
    HeapConfig config = project.config();
    project
        .model(SESSIONS_EPHEMERAL)
        .ephemeral()
        .description("Heap's sessions, renamed to the heap_* vocabulary, one row per session_id, numbered per user.")
        .column("heap_session_sequence_num", "The order of the session among the user's sessions: by start time, then id")
        .plan(SessionModels::ephemeral);
    int n = config.conversionWindowDays();
    ModelBuilder fact =
        project
            .model(SESSIONS_FACT)
            .incremental("heap_session_id", "heap_session_start_time")
            // each row from a sessions row: empty while sessions is (Model#rowSource)
            .rowSource(SourceCatalog.SESSIONS)
            .description("A row for each session captured by Heap, with its channel, funnel step counts and conversions.")
            .column("heap_session_id", "The unique id generated for each session")
            .column("heap_user_id", "The unique id generated for each user")
            .column("heap_session_sequence_num", "The order in which the session occurred for the user")
            .column("heap_session_start_time", "The timestamp of the start of the session (UTC)")
            .column(lookback(n), "The session start minus " + n + " days")
            .column(lookforward(n), "The session start plus " + n + " days")
            .column("heap_session_country", "The country tied to the IP the session came from")
            .column("heap_session_region", "The region tied to the IP the session came from")
            .column("heap_session_city", "The city tied to the IP the session came from")
            .column("heap_session_ip", "The IP the session came from")
            .column("heap_session_referrer", "The URL the user was on before landing on your domain")
            .column("heap_session_landing_page", "The page the user landed on that started the session")
            .column("heap_session_landing_page_query", "The query parameters of the landing page")
            .column("heap_session_landing_page_hash", "The hash of the landing page")
            .column("heap_session_browser", "The browser the session was started in")
            .column("heap_session_utm_source", "utm_source of the landing page")
            .column("heap_session_utm_campaign", "utm_campaign of the landing page")
            .column("heap_session_utm_medium", "utm_medium of the landing page")
            .column("heap_session_utm_term", "utm_term of the landing page")
            .column("heap_session_utm_content", "utm_content of the landing page")
            .column("heap_session_library", "The Heap library that captured the session")
            .column("heap_session_platform", "The operating system")
            .column("heap_session_device_type", "Desktop, Mobile or Tablet")
            .column("heap_session_device", "The device model")
            .column("heap_session_defined_channel_attribution", "The marketing channel of the session: the first matching channel rule")
            .column("heap_session_conversion_cnt", "Number of conversion events in the session")
            .column("heap_session_is_conversion", "Whether the session holds a conversion event");
    for (int i = 1; i <= config.funnelEvents().size(); i++) {
      fact.column(funnelStep(i), "Events of funnel step " + i + " (" + config.funnelEvents().get(i - 1) + ") in the session");
    }
    for (PassThroughColumn p : config.sessionProperties()) {
      fact.column(p.name(), "custom sessions property (pass-through)");
    }
    fact.plan(SessionModels::fact);
  }

  /**
   * The sessions fact's columns under {@code config}, in order: what {@link #fact} projects. Analyses
   * check a breakdown column against it before planning.
   */
  static List<String> factColumns(HeapConfig config) {
    List<String> names = new ArrayList<>(List.of("heap_session_id", "heap_user_id", "heap_session_sequence_num", "heap_session_start_time"));
    names.add(lookback(config.conversionWindowDays()));
    names.add(lookforward(config.conversionWindowDays()));
    names.addAll(attributeColumns());
    names.add(CHANNEL);
    for (int i = 1; i <= config.funnelEvents().size(); i++) {
      names.add(funnelStep(i));
    }
    names.add("heap_session_conversion_cnt");
    names.add("heap_session_is_conversion");
    config.sessionProperties().forEach(p -> names.add(p.name()));
    return names;
  }

  /**
   * The sessions columns channel rules may read, logical name to the name the sessions model gives it:
   * Heap's own ({@link #COLUMNS}), then the config's session properties under their own names.
   */
  private static Map<String, String> ruleColumns(HeapConfig config) {
    Map<String, String> columns = new LinkedHashMap<>(COLUMNS);
    config.sessionProperties().forEach(p -> columns.put(p.name(), p.name()));
    return columns;
  }

  /** Whether some config gives the sessions fact this column: a fixed one, or a window or funnel step column. */
  static boolean isFactColumn(String name) {
    return factColumns(HeapConfig.defaults()).contains(name) || CONFIGURED_COLUMN.matcher(name).matches();
  }

  /** The session's own attributes (country, referrer, utm_source, ...), as the fact names them. */
  private static List<String> attributeColumns() {
    List<String> names = new ArrayList<>();
    for (Map.Entry<String, String> c : COLUMNS.entrySet()) {
      if (c.getValue().startsWith("heap_session_") && !c.getKey().equals("session_id") && !c.getKey().equals("time")) {
        names.add(c.getValue());
      }
    }
    return names;
  }

  static String lookback(int days) {
    return "heap_session_conversion_lookback_" + days + "d";
  }

  static String lookforward(int days) {
    return "heap_session_conversion_lookforward_" + days + "d";
  }

  static String funnelStep(int position) {
    return "heap_session_funnel_step_" + position + "_cnt";
  }

  private static RelNode ephemeral(PlanContext ctx) {
    String t = SourceCatalog.SESSIONS;
    RelBuilder b = ctx.sourceVersions(t, "session_id");
    Dedup.dropMissingKeys(ctx, t, "session_id");
    List<RexNode> projects = new ArrayList<>();
    COLUMNS.keySet().forEach(c -> projects.add(ctx.field(t, c)));
    List<String> names = new ArrayList<>(COLUMNS.values());
    // the session properties under their own names, after Heap's columns (as the pageview model does)
    for (PassThroughColumn p : ctx.config().sessionProperties()) {
      projects.add(ctx.field(t, p.name()));
      names.add(p.name());
    }
    b.project(projects, names, true);
    IdentityModels.resolveUser(ctx, "heap_user_id");
    Dedup.latestVersionPerKey(ctx, "sessions_ranked", "heap_session_id", "heap_session_start_time", "heap_user_id");
    List<RexNode> numbered = new ArrayList<>(b.fields());
    numbered.add(
        b.aggregateCall(SqlStdOperatorTable.ROW_NUMBER)
            .over()
            .partitionBy(b.field("heap_user_id"))
            .orderBy(b.nullsLast(b.field("heap_session_start_time")), b.field("heap_session_id"))
            .as("heap_session_sequence_num"));
    return b.project(numbered).build();
  }

  private static RelNode fact(PlanContext ctx) {
    HeapConfig config = ctx.config();
    RelBuilder b = ctx.builder();
    ctx.ref(SESSIONS_EPHEMERAL);

    // events per session: one count per funnel step, and conversions (which need not be funnel steps);
    // by the session's id, whoever holds an event, so in an incremental run from every user's events
    ctx.refAfterApply(EVENTS_FACT);
    if (ctx.mode() == PlanMode.INCREMENTAL) {
      // only the events of the sessions the run recomputes, not every session's of the whole fact
      // (DuckDB at 1.6M events: the changes table 272-402 ms instead of 450-587). Those sessions
      // are versions of ids an active user holds (the sessions model reads them so), hence among the
      // ids the active users' rows of the sessions source name: two columns of a source, not a
      // second evaluation of the sessions CTE (BigQuery runs a CTE once per reference)
      String t = SourceCatalog.SESSIONS;
      RelNode held = ctx.source(t).project(ctx.field(t, "session_id")).build();
      b.filter(RexSubQuery.in(held, ImmutableList.of(b.field("heap_session_id"))));
    }
    int steps = config.funnelEvents().size();
    List<RelBuilder.AggCall> counts = new ArrayList<>();
    for (int i = 1; i <= steps; i++) {
      counts.add(Exprs.countIf(b, b.equals(b.field("heap_event_funnel_position"), b.literal(i))).as(funnelStep(i)));
    }
    counts.add(Exprs.countIf(b, b.field("heap_event_is_conversion")).as("heap_session_conversion_cnt"));
    b.aggregate(b.groupKey(b.field("heap_session_id")), counts);
    ctx.stage("session_event_counts");

    b.join(JoinRelType.LEFT, b.equals(b.field(2, 0, "heap_session_id"), b.field(2, 1, "heap_session_id")));
    // the sessions model's fields: Heap's columns, the session properties, the sequence number
    int sessionFields = COLUMNS.size() + config.sessionProperties().size() + 1;
    List<RexNode> out = new ArrayList<>();
    List<String> names = new ArrayList<>();
    RexNode start = b.field("heap_session_start_time");
    out.add(b.field("heap_session_id"));
    names.add("heap_session_id");
    out.add(b.field("heap_user_id"));
    names.add("heap_user_id");
    out.add(b.field("heap_session_sequence_num"));
    names.add("heap_session_sequence_num");
    out.add(start);
    names.add("heap_session_start_time");
    int n = config.conversionWindowDays();
    out.add(Exprs.addDays(b, start, -n));
    names.add(lookback(n));
    out.add(Exprs.addDays(b, start, n));
    names.add(lookforward(n));
    for (String c : attributeColumns()) {
      out.add(b.field(c));
      names.add(c);
    }
    out.add(ChannelAttribution.channel(b, config, ruleColumns(config)));
    names.add(CHANNEL);
    for (int i = 1; i <= steps; i++) {
      out.add(coalesceZero(b, b.field(sessionFields + i)));
      names.add(funnelStep(i));
    }
    RexNode conversions = coalesceZero(b, b.field(sessionFields + steps + 1));
    out.add(conversions);
    names.add("heap_session_conversion_cnt");
    out.add(b.greaterThan(conversions, b.literal(0)));
    names.add("heap_session_is_conversion");
    // last, so the fact's other columns keep their places whichever properties a config adds
    for (PassThroughColumn p : config.sessionProperties()) {
      out.add(b.field(p.name()));
      names.add(p.name());
    }
    return b.project(out, names, true).build();
  }

  private static RexNode coalesceZero(RelBuilder b, RexNode value) {
    return b.call(SqlStdOperatorTable.COALESCE, value, b.literal(0));
  }
}
