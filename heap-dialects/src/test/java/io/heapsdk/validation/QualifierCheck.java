package io.heapsdk.validation;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.sf.jsqlparser.expression.Alias;
import net.sf.jsqlparser.expression.AnalyticExpression;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.ExpressionVisitorAdapter;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.create.table.CreateTable;
import net.sf.jsqlparser.statement.delete.Delete;
import net.sf.jsqlparser.statement.insert.Insert;
import net.sf.jsqlparser.statement.merge.Merge;
import net.sf.jsqlparser.statement.select.AllTableColumns;
import net.sf.jsqlparser.statement.select.FromItem;
import net.sf.jsqlparser.statement.select.Join;
import net.sf.jsqlparser.statement.select.OrderByElement;
import net.sf.jsqlparser.statement.select.ParenthesedSelect;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.select.SelectItem;
import net.sf.jsqlparser.statement.select.SetOperationList;
import net.sf.jsqlparser.statement.select.WithItem;
import net.sf.jsqlparser.statement.update.UpdateSet;

/**
 * A name check on a parsed statement, which a parser alone does not do: every column qualifier
 * ({@code "t"."c"}) must name a FROM item (its alias, or the table's name when it has none) of its own
 * SELECT or of an enclosing one. Identifiers are compared exactly, as written in quotes.
 */
final class QualifierCheck {
  private final Deque<Set<String>> scopes = new ArrayDeque<>();
  private final List<String> problems = new ArrayList<>();
  private final ExpressionVisitorAdapter<Void> walker =
      new ExpressionVisitorAdapter<>() {
        @Override
        public <S> Void visit(Column column, S context) {
          check(column.getTable());
          return null;
        }

        @Override
        public <S> Void visit(AllTableColumns columns, S context) {
          check(columns.getTable());
          return null;
        }

        @Override
        public <S> Void visit(AnalyticExpression window, S context) {
          // the adapter does not look inside OVER (…): the arguments, PARTITION BY and ORDER BY
          expression(window.getExpression());
          expression(window.getOffset());
          expression(window.getDefaultValue());
          expression(window.getFilterExpression());
          expression(window.getPartitionExpressionList());
          orderBy(window.getOrderByElements());
          if (window.getWindowDefinition() != null) {
            expression(window.getWindowDefinition().getPartitionExpressionList());
            orderBy(window.getWindowDefinition().getOrderByElements());
          }
          return null;
        }

        @Override
        public <S> Void visit(ParenthesedSelect select, S context) {
          // a subquery in an expression sees the names of the queries around it
          select(select);
          return null;
        }

        @Override
        public <S> Void visit(Select select, S context) {
          select(select);
          return null;
        }
      };

  private QualifierCheck() {}

  /** The qualifiers of {@code statement} that name no FROM item in scope. */
  static List<String> problems(Statement statement) {
    QualifierCheck c = new QualifierCheck();
    if (statement instanceof Select s) {
      c.select(s);
    } else if (statement instanceof CreateTable ct && ct.getSelect() != null) {
      c.select(ct.getSelect());
    } else if (statement instanceof Insert insert && insert.getSelect() != null) {
      c.select(insert.getSelect());
    } else if (statement instanceof Delete delete) {
      Set<String> names = new HashSet<>();
      names.add(rangeName(delete.getTable()));
      if (delete.getUsingList() != null) {
        delete.getUsingList().forEach(t -> names.add(rangeName(t)));
      }
      c.within(names, () -> c.expression(delete.getWhere()));
    } else if (statement instanceof Merge merge) {
      Set<String> names = new HashSet<>();
      names.add(rangeName(merge.getTable()));
      names.add(merge.getFromItem() != null ? rangeName(merge.getFromItem()) : rangeName(merge.getUsingTable()));
      c.within(
          names,
          () -> {
            c.expression(merge.getOnCondition());
            if (merge.getMergeUpdate() != null) {
              for (UpdateSet set : merge.getMergeUpdate().getUpdateSets()) {
                set.getValues().forEach(c::expression);
              }
            }
            if (merge.getMergeInsert() != null) {
              merge.getMergeInsert().getValues().forEach(c::expression);
            }
          });
    }
    return c.problems;
  }

  private void select(Select s) {
    if (s.getWithItemsList() != null) {
      for (WithItem<?> w : s.getWithItemsList()) {
        select(w.getSelect());
      }
    }
    if (s instanceof PlainSelect ps) {
      plainSelect(ps);
    } else if (s instanceof SetOperationList set) {
      set.getSelects().forEach(this::select);
    } else if (s instanceof ParenthesedSelect p) {
      select(p.getSelect());
    }
  }

  private void plainSelect(PlainSelect ps) {
    Set<String> names = new HashSet<>();
    List<FromItem> items = new ArrayList<>();
    if (ps.getFromItem() != null) {
      items.add(ps.getFromItem());
    }
    if (ps.getJoins() != null) {
      ps.getJoins().forEach(j -> items.add(j.getFromItem()));
    }
    for (FromItem item : items) {
      names.add(rangeName(item));
      if (item instanceof ParenthesedSelect derived) {
        select(derived);
      }
    }
    within(
        names,
        () -> {
          for (SelectItem<?> item : ps.getSelectItems()) {
            expression(item.getExpression());
          }
          expression(ps.getWhere());
          expression(ps.getHaving());
          expression(ps.getQualify());
          if (ps.getGroupBy() != null) {
            expression(ps.getGroupBy().getGroupByExpressionList());
          }
          if (ps.getJoins() != null) {
            for (Join j : ps.getJoins()) {
              j.getOnExpressions().forEach(this::expression);
            }
          }
          orderBy(ps.getOrderByElements());
        });
  }

  private void orderBy(List<OrderByElement> elements) {
    if (elements != null) {
      elements.forEach(o -> expression(o.getExpression()));
    }
  }

  private void within(Set<String> names, Runnable body) {
    scopes.push(names);
    try {
      body.run();
    } finally {
      scopes.pop();
    }
  }

  private void expression(Expression e) {
    if (e != null) {
      e.accept(walker, null);
    }
  }

  private void check(Table qualifier) {
    if (qualifier == null || qualifier.getName() == null) {
      return;
    }
    String name = unquote(qualifier.getName());
    if (scopes.stream().noneMatch(s -> s.contains(name))) {
      problems.add("column qualifier \"" + name + "\" names no FROM item in scope " + scopes);
    }
  }

  /** The name a FROM item is referred to by: its alias, else a table's own name. */
  private static String rangeName(FromItem item) {
    Alias alias = item.getAlias();
    if (alias != null) {
      return unquote(alias.getName());
    }
    return item instanceof Table t ? unquote(t.getName()) : "";
  }

  private static String unquote(String name) {
    return name.length() >= 2 && name.startsWith("\"") && name.endsWith("\"")
        ? name.substring(1, name.length() - 1).replace("\"\"", "\"")
        : name;
  }
}
