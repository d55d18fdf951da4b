package io.heapsdk.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The BigQuery keys {@code target.location} and {@code models.<name>.partition_granularity}, in YAML and the builder. */
class WarehouseOptionsConfigTest {
  private static HeapConfig parse(String yaml) {
    return HeapConfigLoader.parse(yaml, "heap.yml");
  }

  @Test
  void locationInYamlAndBuilder() {
    assertThat(parse("").targetLocation()).isEmpty();
    assertThat(parse("target:\n  location: EU\n").targetLocation()).contains("EU");
    assertThat(parse("target:\n  location: europe-west3\n").targetLocation()).contains("europe-west3");
    assertThat(parse("target:\n  location: northamerica-northeast1\n").targetLocation()).contains("northamerica-northeast1");
    assertThat(HeapConfig.builder().targetLocation("asia-northeast1").build().targetLocation()).contains("asia-northeast1");
    assertThat(parse("target:\n  location: us\n").targetLocation()).contains("us");
    assertThat(parse("target:\n  location: aws-us-east-1\n").targetLocation()).contains("aws-us-east-1");
    assertThat(parse("target:\n  location: azure-eastus2\n").targetLocation()).contains("azure-eastus2");
    HeapConfig copy = HeapConfig.builder().from(parse("target:\n  location: US\n")).build();
    assertThat(copy.targetLocation()).contains("US");
  }

  @Test
  void aLocationThatIsNoBigQueryLocationNamesTheKey() {
    // "mars", "europe": words, no location; "US-EAST" neither
    for (String bad : new String[] {"'eu; DROP'", "''", "europe west3", "'EU'''", "mars", "europe", "US-EAST"}) {
      assertThatThrownBy(() -> parse("target:\n  location: " + bad + "\n"))
          .as(bad)
          .isInstanceOf(HeapConfigException.class)
          .hasMessageStartingWith("heap.yml: target.location: expected a BigQuery location");
    }
    assertThatThrownBy(() -> HeapConfig.builder().targetLocation("x").build())
        .hasMessageStartingWith("HeapConfig.builder(): target.location: expected a BigQuery location");
    assertThatThrownBy(() -> HeapConfig.builder().targetLocation((String) null))
        .hasMessageStartingWith("HeapConfig.builder(): target.location: expected a BigQuery location, got null");
    assertThatThrownBy(() -> parse("target:\n  region: EU\n")).hasMessageContaining("target.region");
  }

  @Test
  void partitionGranularity() {
    String yaml = "models:\n  stg_heap_sessions_inc_fct:\n    partition_granularity: %s\n";
    assertThat(parse(String.format(yaml, "month")).physicalOptions("stg_heap_sessions_inc_fct").partitionGranularity())
        .contains(PhysicalOptions.Granularity.MONTH);
    assertThat(parse(String.format(yaml, "year")).physicalOptions("stg_heap_sessions_inc_fct").partitionGranularity())
        .contains(PhysicalOptions.Granularity.YEAR);
    assertThat(parse(String.format(yaml, "day")).physicalOptions("stg_heap_sessions_inc_fct").partitionGranularity())
        .contains(PhysicalOptions.Granularity.DAY);
    // kept when the defaults are filled in
    assertThat(
            parse(String.format(yaml, "month"))
                .physicalOptions("stg_heap_sessions_inc_fct")
                .resolve(Optional.of("heap_session_id"), Optional.of("heap_session_start_time"), Optional.of("heap_user_id"))
                .partitionGranularity())
        .contains(PhysicalOptions.Granularity.MONTH);
    assertThat(PhysicalOptions.DEFAULTS.partitionGranularity()).isEmpty();
    assertThatThrownBy(() -> parse(String.format(yaml, "hour")))
        .isInstanceOf(HeapConfigException.class)
        .hasMessage("heap.yml: models.stg_heap_sessions_inc_fct.partition_granularity: expected day, month or year, got \"hour\"");
  }
}
