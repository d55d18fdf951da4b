package io.heapsdk.testing;

import io.heapsdk.config.HeapConfig;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A JUnit 5 extension that gives each test a fresh {@link HeapTestDatabase} as a parameter and closes it
 * after the test, so a large suite neither repeats try-with-resources nor leaks databases.
 *
 * <pre>{@code
 * class MyModelTest {
 *   @RegisterExtension
 *   static HeapTestDatabaseExtension heap = HeapTestDatabaseExtension.forConfig(config);
 *
 *   @Test
 *   void countsSessions(HeapTestDatabase db) {
 *     db.insert(HeapRow.of("sessions").set("session_id", 100).set("user_id", 10).set("time", "2024-01-10T10:00:00Z"));
 *     db.build(project);
 *     assertEquals(1, db.rows("stg_heap_sessions_inc_fct").size());
 *   }
 * }
 * }</pre>
 *
 * <p>{@code @ExtendWith(HeapTestDatabaseExtension.class)} does the same with Heap's default config. A
 * test and its {@code @BeforeEach} / {@code @AfterEach} methods get the same database; it is closed after
 * the test's {@code @AfterEach} methods. A database taken as a parameter of a {@code @BeforeAll} method
 * belongs to the class instead: its tests share it (e.g. rows built once, read by many tests) and it is
 * closed after the class. Register the extension on a static field for that.
 *
 * <p>The library declares JUnit as an optional dependency: this class needs {@code junit-jupiter-api} on
 * the test classpath, which a JUnit 5 suite has anyway.
 */
public final class HeapTestDatabaseExtension implements ParameterResolver, AfterEachCallback, AfterAllCallback {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(HeapTestDatabaseExtension.class);
  private static final String KEY = "database";

  private final HeapConfig config;

  /** The extension with Heap's default config, for {@code @ExtendWith(HeapTestDatabaseExtension.class)}. */
  public HeapTestDatabaseExtension() {
    this(HeapConfig.builder().build());
  }

  private HeapTestDatabaseExtension(HeapConfig config) {
    this.config = config;
  }

  /**
   * The extension whose databases use {@code config}'s table and column names and target schema.
   *
   * @param config the config every database of the extension is created with
   * @return the extension, for a {@code @RegisterExtension} field
   */
  public static HeapTestDatabaseExtension forConfig(HeapConfig config) {
    if (config == null) {
      throw new IllegalArgumentException("HeapTestDatabaseExtension.forConfig: config is null");
    }
    return new HeapTestDatabaseExtension(config);
  }

  /**
   * The config the extension's databases are created with.
   *
   * @return the config
   */
  public HeapConfig config() {
    return config;
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == HeapTestDatabase.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    // get() also looks in the enclosing contexts: a test sees its class's @BeforeAll database
    Holder existing = context.getStore(NAMESPACE).get(KEY, Holder.class);
    if (existing != null) {
      return existing.database;
    }
    Holder created = new Holder(HeapTestDatabase.create(config));
    context.getStore(NAMESPACE).put(KEY, created);
    return created.database;
  }

  @Override
  public void afterEach(ExtensionContext context) {
    close(context);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    close(context);
  }

  /** Closes the database this context created; remove() does not reach into the enclosing contexts. */
  private static void close(ExtensionContext context) {
    Holder holder = context.getStore(NAMESPACE).remove(KEY, Holder.class);
    if (holder != null) {
      holder.database.close();
    }
  }

  /**
   * Not AutoCloseable on purpose: JUnit versions that close AutoCloseable store values themselves would
   * do it once more, and older ones would not at all; the callbacks above close it in every version.
   */
  private static final class Holder {
    private final HeapTestDatabase database;

    private Holder(HeapTestDatabase database) {
      this.database = database;
    }
  }
}
