package io.heapsdk.model;

import io.heapsdk.source.ColumnType;
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

  static RelDataTypeFactory newTypeFactory() {
    return new JavaTypeFactoryImpl(TYPE_SYSTEM);
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
