package io.heapsdk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.heapsdk.run.RunState;
import java.time.LocalDateTime;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What {@code heap status} says of the run lock on a shared database, where the holder may be alive. */
class StatusLockLineTest {
  private static final LocalDateTime NOW = LocalDateTime.of(2026, 12, 5, 12, 0, 0);

  private static RunState.Lock heldWithHeartbeat(LocalDateTime beat) {
    return new RunState.Lock(Optional.of("0badf00d"), "host/42/0badf00d", Optional.of(beat.minusMinutes(1)), Optional.of(beat));
  }

  @Test
  void aFreeLock() {
    assertThat(StatusCommand.lockLine(new RunState.Lock(Optional.empty(), "", Optional.empty(), Optional.empty()), false, NOW))
        .isEqualTo("lock: free");
  }

  @Test
  void aRecentHeartbeatMeansTheRunMayBeGoingOn() {
    assertThat(StatusCommand.lockLine(heldWithHeartbeat(NOW.minusSeconds(20)), false, NOW))
        .isEqualTo("lock: held by run 0badf00d (host/42/0badf00d), started 2026-12-05 11:58:40, last heartbeat 2026-12-05 11:59:40;"
            + " its heartbeat is 20 s old: a `heap run` now fails, or waits for it with --wait SECONDS; if that run is dead (killed, its"
            + " machine lost), the next `heap run` takes the lock over once the heartbeat is older than --stale-after (default 600 s:"
            + " in 581 s)");
  }

  @Test
  void aHeartbeatOlderThanTheDefaultStaleTimeIsTakenOver() {
    // ten minutes is the default: 601 s is past it, 600 s not yet
    assertThat(StatusCommand.lockLine(heldWithHeartbeat(NOW.minusSeconds(601)), false, NOW))
        .endsWith("; its heartbeat is 601 s old, so that run looks dead: the next `heap run` takes the lock over"
            + " (a heartbeat older than --stale-after, default 600 s)");
    assertThat(StatusCommand.lockLine(heldWithHeartbeat(NOW.minusSeconds(600)), false, NOW)).endsWith("(default 600 s: in 1 s)");
  }
}
