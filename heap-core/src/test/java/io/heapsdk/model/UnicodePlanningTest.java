package io.heapsdk.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.heapsdk.config.HeapConfig;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.sql.type.SqlTypeFamily;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.util.NlsString;
import org.apache.calcite.util.Sarg;
import org.junit.jupiter.api.Test;

/**
 * Plans type text in UTF-8: with Calcite's default, ISO-8859-1, any string literal outside Latin-1 (an
 * event name, a channel label, the own domain) failed planning with "Failed to encode '购买' in character
 * set 'ISO-8859-1'".
 */
class UnicodePlanningTest {
  @Test
  void theTypeFactoryDefaultsToUtf8() {
    assertThat(HeapTypes.newTypeFactory().getDefaultCharset()).isEqualTo(StandardCharsets.UTF_8);
  }

  @Test
  void everyUserStringPlansWithItsCharactersIntact() {
    HeapConfig config =
        HeapConfig.builder()
            .funnelEvents(List.of("閲覧", "购买🛒", "cafe\u0301"))
            .conversionEvents(List.of("شراء", "\u202Egnp.exe", "👩\u200D💻"))
            .ownDomain("пример.рф")
            .fallbackChannel("Без канала 🤷")
            .build();
    ProjectPlan plan = HeapProject.standard(config).plan();
    List<RexLiteral> literals = new ArrayList<>();
    for (PlannedModel m : plan.models()) {
      collectLiterals(m.root(), literals);
      m.stages().forEach(s -> collectLiterals(s.rel(), literals));
    }
    List<String> text = new ArrayList<>();
    for (RexLiteral l : literals) {
      if (l.getTypeName() == SqlTypeName.CHAR) {
        text.add(l.getValueAs(String.class));
      } else if (l.getTypeName() == SqlTypeName.SARG && SqlTypeFamily.CHARACTER.contains(l.getType())) {
        // an IN list of strings: its points
        Sarg<?> sarg = l.getValueAs(Sarg.class);
        sarg.rangeSet.asRanges().forEach(r -> text.add(((NlsString) r.lowerEndpoint()).getValue()));
      }
    }
    assertThat(text).contains("閲覧", "购买🛒", "cafe\u0301", "شراء", "\u202Egnp.exe", "👩\u200D💻", "пример.рф", "Без канала 🤷");
    assertThat(literals.stream().filter(l -> SqlTypeFamily.CHARACTER.contains(l.getType())))
        .allSatisfy(l -> assertThat(l.getType().getCharset()).isEqualTo(StandardCharsets.UTF_8));
  }

  private static void collectLiterals(RelNode rel, List<RexLiteral> literals) {
    rel.accept(
        new RexShuttle() {
          @Override
          public RexNode visitLiteral(RexLiteral literal) {
            literals.add(literal);
            return literal;
          }
        });
    rel.getInputs().forEach(input -> collectLiterals(input, literals));
  }
}
