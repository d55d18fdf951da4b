package io.heapsdk.quality;

import static org.assertj.core.api.Assertions.assertThat;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.model.HeapProject;
import io.heapsdk.warehouse.DataTestSql;
import io.heapsdk.warehouse.Warehouses;
import org.junit.jupiter.api.Test;

/** The failing-rows SQL of data tests, written out by hand for a few warehouses. */
class DataTestSqlTest {
  private static final HeapConfig CONFIG =
      HeapConfig.builder().putSourceTables("pageviews", "pv").putSourceColumns("pageviews.event_id", "id").build();

  @Test
  void uniqueOnSnowflakeUsesThePhysicalNames() {
    DataTest test = new DataTest(TestTarget.source("pageviews"), ColumnCheck.unique("event_id"));
    assertThat(new DataTestSql(Warehouses.SNOWFLAKE, HeapProject.standard(CONFIG)).failingRows(test))
        .isEqualTo(
            "SELECT \"ID\" AS \"HEAP__KEY\", COUNT(*) AS \"HEAP__ROWS\"\n"
                + "FROM \"MAIN_PRODUCTION\".\"PV\"\n"
                + "WHERE \"ID\" IS NOT NULL\n"
                + "GROUP BY \"ID\"\n"
                + "HAVING COUNT(*) > 1");
  }

  @Test
  void acceptedValuesOnBigQueryAreLiterals() {
    DataTest test =
        new DataTest(
            TestTarget.model("stg_heap_sessions_inc_fct"),
            ColumnCheck.acceptedValues("heap_session_defined_channel_attribution", "Direct", "it's"));
    assertThat(new DataTestSql(Warehouses.BIGQUERY, HeapProject.standard(CONFIG)).failingRows(test))
        .isEqualTo(
            "SELECT `heap_session_id` AS `heap__key`, `heap_session_defined_channel_attribution` AS `heap__value`\n"
                + "FROM `heap_models`.`stg_heap_sessions_inc_fct`\n"
                + "WHERE `heap_session_defined_channel_attribution` IS NOT NULL"
                + " AND `heap_session_defined_channel_attribution` NOT IN ('Direct', 'it\\'s')");
  }

  @Test
  void acceptedValuesOfMixedTypesAreRefused() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> ColumnCheck.acceptedValues("c", "a", 7L))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("accepted_values on c: all values must be of one type (strings, whole numbers or booleans)");
    // whole numbers render as numbers, on every warehouse
    DataTest test = new DataTest(TestTarget.model("m"), ColumnCheck.acceptedValues("n", 1, 2L));
    assertThat(new DataTestSql(Warehouses.H2, HeapProject.standard(CONFIG)).failingRows(test))
        .isEqualTo("SELECT \"N\" AS \"HEAP__KEY\"\nFROM \"HEAP_MODELS\".\"M\"\nWHERE \"N\" IS NOT NULL AND \"N\" NOT IN (1, 2)");
  }

  @Test
  void relationshipOnPostgres() {
    DataTest test =
        new DataTest(
            TestTarget.source("pageviews"),
            ColumnCheck.relationship("session_id", TestTarget.source("sessions"), "session_id"));
    assertThat(new DataTestSql(Warehouses.POSTGRES, HeapProject.standard(CONFIG)).failingRows(test))
        .isEqualTo(
            "SELECT \"child\".\"id\" AS \"heap__key\", \"child\".\"session_id\" AS \"heap__value\"\n"
                + "FROM \"main_production\".\"pv\" AS \"child\"\n"
                + "WHERE \"child\".\"session_id\" IS NOT NULL\n"
                + "AND NOT EXISTS (SELECT 1 FROM \"main_production\".\"sessions\" AS \"parent\""
                + " WHERE \"parent\".\"session_id\" = \"child\".\"session_id\")");
  }
}
