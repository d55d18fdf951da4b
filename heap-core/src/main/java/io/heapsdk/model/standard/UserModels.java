package io.heapsdk.model.standard;

import static io.heapsdk.model.standard.StandardModels.SESSIONS_FACT;
import static io.heapsdk.model.standard.StandardModels.USERS_FACT;

import io.heapsdk.model.HeapProject;
import io.heapsdk.model.PlanContext;
import io.heapsdk.model.ModelBuilder;
import io.heapsdk.source.SourceCatalog;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.tools.RelBuilder;

/**
 * The users fact ({@code users.enabled}): one row per user, from the sessions fact. Heap Connect syncs no
 * initial user properties (its {@code users} table holds ids, identity and join date), while Heap's own
 * Users page shows each user's first and last session and its reports group by "Initial Referrer",
 * "Initial Marketing Channel" and the like, taken from the user's first session. Here the first session is
 * the sessions fact's {@code heap_session_sequence_num = 1} (earliest start, then lowest id: the same
 * order the fact numbers sessions in), so the initial properties are one row's, never a mix of sessions.
 *
 * <p>Incremental like the other facts: a run recomputes its active users from the sessions fact's
 * recomputed rows, which hold each such user's whole history; a user merged away (an old id) is
 * deleted with the rest of an active user's rows that are no longer produced. Its time column is the
 * last session's start, so its newest time is the sessions fact's and the run's mark does not move.
 * One pass over the sessions, no join: each initial value is {@code MAX(CASE WHEN sequence = 1 THEN
 * value END)}, which every warehouse runs alike (the one row of sequence 1 gives it).
 */
final class UserModels {
  /** Session attribute column of the sessions fact, by the users fact's initial column it gives. */
  static final Map<String, String> INITIAL = initialColumns();

  private UserModels() {}

  private static Map<String, String> initialColumns() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("heap_user_initial_session_id", "heap_session_id");
    for (String c :
        List.of(
            "referrer", "landing_page", "landing_page_query", "landing_page_hash", "utm_source", "utm_medium",
            "utm_campaign", "utm_term", "utm_content", "browser", "country", "region", "city", "platform",
            "device_type", "device", "library")) {
      m.put("heap_user_initial_" + c, "heap_session_" + c);
    }
    m.put("heap_user_initial_channel", SessionModels.CHANNEL);
    return m;
  }

  static void define(HeapProject project) {
    ModelBuilder fact =
        project
            .model(USERS_FACT)
            .incremental("heap_user_id", "heap_user_last_session_time")
            // partitions, clustering and sort key by the first session, which a user's row keeps
            .layoutTimeColumn("heap_user_first_session_time")
            // each row from a user's sessions: empty while sessions is (Model#rowSource)
            .rowSource(SourceCatalog.SESSIONS)
            .description(
                "A row for each user with a session: first and last session, session and conversion counts, and the"
                    + " initial properties of the user's first session (Heap's Initial Referrer, Initial Marketing Channel, …).")
            .column("heap_user_id", "The unique id generated for each user")
            .column("heap_user_first_session_time", "The start of the user's first session (UTC)")
            .column("heap_user_last_session_time", "The start of the user's last session (UTC)")
            .column("heap_user_session_cnt", "Number of the user's sessions")
            .column("heap_user_conversion_cnt", "Number of conversion events in the user's sessions")
            .column("heap_user_is_converted", "Whether any of the user's sessions holds a conversion event");
    for (Map.Entry<String, String> c : INITIAL.entrySet()) {
      fact.column(c.getKey(), "Of the user's first session: " + c.getValue().substring("heap_session_".length()).replace('_', ' '));
    }
    fact.plan(UserModels::fact);
  }

  private static RelNode fact(PlanContext ctx) {
    RelBuilder b = ctx.builder();
    // in an incremental run, the sessions the run recomputed: every session of each active user
    ctx.ref(SESSIONS_FACT);
    // a session without a user belongs to nobody's row (and would make a NULL key)
    b.filter(b.isNotNull(b.field("heap_user_id")));
    RexNode first = b.equals(b.field("heap_session_sequence_num"), b.literal(1));
    RexNode start = b.field("heap_session_start_time");
    List<RelBuilder.AggCall> calls = new ArrayList<>();
    calls.add(b.min(start).as("heap_user_first_session_time"));
    calls.add(b.max(start).as("heap_user_last_session_time"));
    calls.add(b.countStar("heap_user_session_cnt"));
    calls.add(b.sum(b.field("heap_session_conversion_cnt")).as("heap_user_conversion_cnt"));
    for (Map.Entry<String, String> c : INITIAL.entrySet()) {
      RexNode value = b.field(c.getValue());
      RexNode ofFirst = b.call(SqlStdOperatorTable.CASE, first, value, b.getRexBuilder().makeNullLiteral(value.getType()));
      calls.add(b.max(ofFirst).as(c.getKey()));
    }
    b.aggregate(b.groupKey(b.field("heap_user_id")), calls);
    List<RexNode> out = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (String n : List.of("heap_user_id", "heap_user_first_session_time", "heap_user_last_session_time", "heap_user_session_cnt")) {
      out.add(b.field(n));
      names.add(n);
    }
    // a user's sessions number at least one, each with a count (0 when none), so the sum is never NULL;
    // a BIGINT like the counts (the SUM of a BIGINT is HUGEINT on DuckDB, NUMERIC on H2 and PostgreSQL)
    RexNode conversions = b.cast(b.field("heap_user_conversion_cnt"), org.apache.calcite.sql.type.SqlTypeName.BIGINT);
    out.add(conversions);
    names.add("heap_user_conversion_cnt");
    out.add(b.greaterThan(conversions, b.literal(0)));
    names.add("heap_user_is_converted");
    for (String n : INITIAL.keySet()) {
      out.add(b.field(n));
      names.add(n);
    }
    return b.project(out, names, true).build();
  }
}
