package io.heapsdk.model;

import io.heapsdk.source.ColumnType;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.apache.calcite.jdbc.JavaTypeFactoryImpl;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rel.type.RelDataTypeSystem;
import org.apache.calcite.rel.type.RelDataTypeSystemImpl;
import org.apache.calcite.sql.type.SqlTypeName;

/** The type system of every plan: Calcite's, but keeping microsecond timestamps (Heap's precision). */
final class HeapTypes {
  /** Calcite caps TIMESTAMP at precision 3 by default, which would truncate Heap's microseconds. */
  static final RelDataTypeSystem TYPE_SYSTEM =
      new RelDataTypeSystemImpl() {
        @Override
        public int getMaxPrecision(SqlTypeName typeName) {
          return typeName == SqlTypeName.TIMESTAMP ? 6 : super.getMaxPrecision(typeName);
        }

        @Override
        public int getDefaultPrecision(SqlTypeName typeName) {
          return typeName == SqlTypeName.TIMESTAMP ? 6 : super.getDefaultPrecision(typeName);
        }
      };

  private HeapTypes() {}

  /**
   * The factory of every plan's types. Its default charset is UTF-8: Calcite's is ISO-8859-1, and a string
   * literal (an event name, a channel label, a domain) outside Latin-1 would fail planning with "Failed to
   * encode … in character set 'ISO-8859-1'". The charset only labels the plan's types; the dialects print
   * every literal as plain quoted text and never a character set or {@code _UTF-8} prefix.
   */
  static RelDataTypeFactory newTypeFactory() {
    return new JavaTypeFactoryImpl(TYPE_SYSTEM) {
      @Override
      public Charset getDefaultCharset() {
        return StandardCharsets.UTF_8;
      }
    };
  }

  /** The nullable Calcite type of a column type. */
  static RelDataType of(RelDataTypeFactory f, ColumnType type) {
    RelDataType t;
    switch (type) {
      case BIGINT:
        t = f.createSqlType(SqlTypeName.BIGINT);
        break;
      case DOUBLE:
        t = f.createSqlType(SqlTypeName.DOUBLE);
        break;
      case BOOLEAN:
        t = f.createSqlType(SqlTypeName.BOOLEAN);
        break;
      case TIMESTAMP:
        t = f.createSqlType(SqlTypeName.TIMESTAMP, 6);
        break;
      case VARCHAR:
      default:
        t = f.createSqlType(SqlTypeName.VARCHAR);
        break;
    }
    return f.createTypeWithNullability(t, true);
  }
}
