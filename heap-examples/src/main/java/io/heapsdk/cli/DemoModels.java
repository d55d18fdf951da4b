package io.heapsdk.cli;

import static io.heapsdk.model.standard.StandardModels.SESSIONS_FACT;
import static io.heapsdk.model.standard.StandardModels.USERS_FACT;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.model.Exprs;
import io.heapsdk.model.HeapProject;
import java.util.List;
import org.apache.calcite.tools.RelBuilder;

/**
 * The demo's report models, defined with the same public API a user's project would use, on top of the
 * standard models: they are planned, built and rendered for every warehouse like those. The users per
 * initial channel only where the config builds the users fact ({@code users.enabled}, as the demo's does).
 */
final class DemoModels {
  static final String SESSIONS_PER_CHANNEL = "demo_sessions_per_channel";
  static final String FUNNEL_STEP_SESSIONS = "demo_funnel_step_sessions";
  static final String USERS_PER_INITIAL_CHANNEL = "demo_users_per_initial_channel";

  private DemoModels() {}

  /** Rows of {@code b} per channel, and those of them flagged converted, under {@code names}. */
  private static org.apache.calcite.rel.RelNode countsPerChannel(RelBuilder b, String channel, String converted, List<String> names) {
    return b.aggregate(b.groupKey(b.field(channel)), b.count().as(names.get(1)), b.sum(Exprs.oneIf(b, b.field(converted))).as(names.get(2)))
        .rename(names)
        .build();
  }

  /** The standard models plus the demo's. */
  static HeapProject project(HeapConfig config) {
    HeapProject project = HeapProject.standard(config);
    project
        .model(SESSIONS_PER_CHANNEL)
        .description("Sessions and converting sessions per marketing channel.")
        .column("channel", "The session's channel, from the channel rules")
        .column("sessions", "Sessions of the channel")
        .column("converting_sessions", "Sessions of the channel holding a conversion event")
        .plan(ctx -> countsPerChannel(ctx.ref(SESSIONS_FACT), "heap_session_defined_channel_attribution", "heap_session_is_conversion",
            List.of("channel", "sessions", "converting_sessions")));
    if (config.usersEnabled()) {
      project
          .model(USERS_PER_INITIAL_CHANNEL)
          .description("Users and converted users per channel of their first session (Heap's \"Initial\" channel).")
          .column("initial_channel", "The channel of the user's first session, from the channel rules")
          .column("users", "Users whose first session came from the channel")
          .column("converted_users", "Of those, the users with a conversion event in any session")
          .plan(ctx -> countsPerChannel(ctx.ref(USERS_FACT), "heap_user_initial_channel", "heap_user_is_converted",
              List.of("initial_channel", "users", "converted_users")));
    }
    List<String> steps = config.funnelEvents();
    if (steps.isEmpty()) {
      return project;
    }
    project
        .model(FUNNEL_STEP_SESSIONS)
        .description("Per funnel step, the sessions holding at least one event of that step.")
        .column("step", "1-based position of the step in funnel_events")
        .column("event_name", "The step's event")
        .column("sessions", "Sessions with at least one event of the step")
        .plan(
            ctx -> {
              RelBuilder b = ctx.builder();
              // one single-row aggregate per step, stacked: the steps are known from the config
              for (int i = 1; i <= steps.size(); i++) {
                ctx.ref(SESSIONS_FACT);
                b.filter(b.greaterThan(b.field("heap_session_funnel_step_" + i + "_cnt"), b.literal(0)))
                    .aggregate(b.groupKey(), b.count().as("sessions"))
                    .project(
                        List.of(b.literal(i), Exprs.asText(b, b.literal(steps.get(i - 1))), b.field("sessions")),
                        List.of("step", "event_name", "sessions"));
              }
              return b.union(true, steps.size()).build();
            });
    return project;
  }
}
