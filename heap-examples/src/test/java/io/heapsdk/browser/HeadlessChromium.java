package io.heapsdk.browser;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Debian's Chromium, headless, driven over its DevTools protocol (CDP) with the JDK's own WebSocket
 * client: no WebDriver and no dependency. The pages are opened as {@code file:} URLs, what a user does
 * with the files; each tab collects what the console would show as an error (console.error, uncaught
 * exceptions, failed or refused loads, Content-Security-Policy violations).
 */
final class HeadlessChromium implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  /**
   * The flags a closed CI machine needs: headless, no sandbox (CI runs as root), and none of the
   * background connections (component updates, sync, field trials, QUIC) that a machine without network
   * refuses, a fresh profile each run.
   */
  private static final List<String> FLAGS =
      List.of(
          "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
          "--disable-component-update", "--disable-sync", "--no-default-browser-check", "--disable-dev-shm-usage",
          "--hide-scrollbars", "--mute-audio", "--remote-debugging-port=0");

  private final Process process;
  private final Path profile;
  private final WebSocket socket;
  private final AtomicInteger ids = new AtomicInteger();
  private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
  private final List<Consumer<JsonNode>> listeners = new CopyOnWriteArrayList<>();
  private final String version;

  private HeadlessChromium(Process process, Path profile, WebSocket socket, Listener listener) {
    this.process = process;
    this.profile = profile;
    this.socket = socket;
    listener.owner = this;
    this.version = call(null, "Browser.getVersion", JSON.createObjectNode()).path("product").asText();
  }

  /**
   * The Chromium to use: {@code -Dheap.browser.chromium=PATH}, else the first of {@code chromium},
   * {@code chromium-browser}, {@code google-chrome} on the PATH.
   */
  static Optional<Path> find() {
    String configured = System.getProperty("heap.browser.chromium", "");
    if (!configured.isBlank()) {
      Path p = Path.of(configured);
      return Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
    }
    String path = System.getenv().getOrDefault("PATH", "/usr/bin");
    for (String name : List.of("chromium", "chromium-browser", "google-chrome")) {
      for (String dir : path.split(File.pathSeparator)) {
        Path p = Path.of(dir, name);
        if (Files.isExecutable(p)) {
          return Optional.of(p);
        }
      }
    }
    return Optional.empty();
  }

  /** Starts Chromium with a new empty profile; its output goes to {@code log}. */
  static HeadlessChromium start(Path executable, Path log) throws IOException, InterruptedException {
    Path profile = Files.createTempDirectory("heap-chromium-");
    List<String> command = new ArrayList<>();
    command.add(executable.toString());
    command.addAll(FLAGS);
    command.add("--user-data-dir=" + profile);
    command.add("about:blank");
    Files.createDirectories(log.getParent());
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    // Chromium writes the port it chose, then the browser's path, into the profile once it listens
    Path port = profile.resolve("DevToolsActivePort");
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    List<String> lines = List.of();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException("Chromium exited with " + process.exitValue() + " at start; see " + log);
      }
      if (Files.exists(port)) {
        lines = Files.readAllLines(port);
        if (lines.size() >= 2) {
          break;
        }
      }
      Thread.sleep(50);
    }
    if (lines.size() < 2) {
      stop(process);
      throw new IOException("Chromium did not open its DevTools port within " + TIMEOUT.toSeconds() + " s; see " + log);
    }
    Listener listener = new Listener();
    WebSocket socket;
    try {
      socket =
          HttpClient.newHttpClient()
              .newWebSocketBuilder()
              .connectTimeout(TIMEOUT)
              .buildAsync(URI.create("ws://127.0.0.1:" + lines.get(0).strip() + lines.get(1).strip()), listener)
              .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      stop(process);
      throw new IOException("cannot connect to Chromium's DevTools port: " + e.getMessage(), e);
    }
    try {
      return new HeadlessChromium(process, profile, socket, listener);
    } catch (RuntimeException e) {
      stop(process);
      throw e;
    }
  }

  String version() {
    return version;
  }

  /** A new tab, {@code width} CSS pixels wide, showing {@code file} once its load event fired. */
  Tab open(Path file, int width) {
    String target = call(null, "Target.createTarget", object("url", "about:blank")).path("targetId").asText();
    String session = call(null, "Target.attachToTarget", object("targetId", target).put("flatten", true)).path("sessionId").asText();
    Tab tab = new Tab(target, session);
    listeners.add(tab.listener);
    call(session, "Runtime.enable", JSON.createObjectNode());
    call(session, "Log.enable", JSON.createObjectNode());
    call(session, "Page.enable", JSON.createObjectNode());
    call(
        session, "Emulation.setDeviceMetricsOverride",
        object("width", width).put("height", 900).put("deviceScaleFactor", 1).put("mobile", false));
    String url = file.toUri().toString();
    JsonNode navigated = call(session, "Page.navigate", object("url", url));
    if (navigated.hasNonNull("errorText")) {
      throw new IllegalStateException("Chromium could not open " + file + ": " + navigated.get("errorText").asText());
    }
    // loaded: the document is this file's and complete (load events of the tab's first blank page may come late)
    String want = "complete " + tab.evaluate("new URL(" + JSON.valueToTree(url) + ").href").asText();
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (!tab.evaluate("document.readyState + ' ' + location.href").asText().equals(want)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("Chromium did not finish loading " + file + " within " + TIMEOUT.toSeconds() + " s");
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }
    return tab;
  }

  /** One page. */
  final class Tab implements AutoCloseable {
    private final String target;
    private final String session;
    private final List<String> errors = new CopyOnWriteArrayList<>();
    private final Consumer<JsonNode> listener = this::event;

    private Tab(String target, String session) {
      this.target = target;
      this.session = session;
    }

    private void event(JsonNode message) {
      if (!session.equals(message.path("sessionId").asText())) {
        return;
      }
      JsonNode p = message.path("params");
      switch (message.path("method").asText()) {
        case "Runtime.consoleAPICalled" -> {
          String type = p.path("type").asText();
          if (type.equals("error") || type.equals("assert")) {
            List<String> args = new ArrayList<>();
            p.path("args").forEach(a -> args.add(a.has("value") ? a.get("value").asText() : a.path("description").asText()));
            errors.add("console." + type + ": " + String.join(" ", args));
          }
        }
        case "Runtime.exceptionThrown" -> {
          JsonNode d = p.path("exceptionDetails");
          errors.add("uncaught: " + d.path("text").asText() + " " + d.path("exception").path("description").asText(""));
        }
        case "Log.entryAdded" -> {
          JsonNode e = p.path("entry");
          if (e.path("level").asText().equals("error")) {
            errors.add(e.path("source").asText() + ": " + e.path("text").asText() + (e.has("url") ? " (" + e.get("url").asText() + ")" : ""));
          }
        }
        default -> {
          // other events are not looked at
        }
      }
    }

    /** What the console showed as errors since the tab opened. */
    List<String> errors() {
      return List.copyOf(errors);
    }

    /** The value of a JavaScript expression evaluated in the page (the test's, the pages have none). */
    JsonNode evaluate(String expression) {
      JsonNode r = call(session, "Runtime.evaluate", object("expression", expression).put("returnByValue", true));
      if (r.has("exceptionDetails")) {
        throw new IllegalStateException("the check's script failed: " + r.get("exceptionDetails"));
      }
      return r.path("result").path("value");
    }

    /** The whole page as a PNG. */
    void screenshot(Path png) throws IOException {
      JsonNode size = call(session, "Page.getLayoutMetrics", JSON.createObjectNode()).path("cssContentSize");
      ObjectNode clip =
          object("x", 0).put("y", 0).put("width", Math.ceil(size.path("width").asDouble())).put("height", Math.ceil(size.path("height").asDouble()))
              .put("scale", 1);
      ObjectNode params = object("format", "png").put("captureBeyondViewport", true);
      params.set("clip", clip);
      String data = call(session, "Page.captureScreenshot", params).path("data").asText();
      Files.createDirectories(png.getParent());
      Files.write(png, Base64.getDecoder().decode(data));
    }

    @Override
    public void close() {
      listeners.remove(listener);
      call(null, "Target.closeTarget", object("targetId", target));
    }
  }

  private static ObjectNode object(String key, Object value) {
    ObjectNode o = JSON.createObjectNode();
    if (value instanceof Integer i) {
      o.put(key, i);
    } else {
      o.put(key, String.valueOf(value));
    }
    return o;
  }

  /** Sends one command and waits for its result; a protocol error is an exception. */
  private JsonNode call(String session, String method, ObjectNode params) {
    int id = ids.incrementAndGet();
    ObjectNode message = JSON.createObjectNode().put("id", id).put("method", method);
    message.set("params", params);
    if (session != null) {
      message.put("sessionId", session);
    }
    CompletableFuture<JsonNode> result = new CompletableFuture<>();
    pending.put(id, result);
    try {
      socket.sendText(JSON.writeValueAsString(message), true).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      JsonNode reply = result.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      if (reply.has("error")) {
        throw new IllegalStateException(method + " failed: " + reply.get("error"));
      }
      return reply.path("result");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(method + " interrupted", e);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException | IOException e) {
      throw new IllegalStateException(method + " got no answer from Chromium", e);
    } finally {
      pending.remove(id);
    }
  }

  private void received(String text) {
    JsonNode message;
    try {
      message = JSON.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (message.has("id")) {
      CompletableFuture<JsonNode> f = pending.get(message.get("id").asInt());
      if (f != null) {
        f.complete(message);
      }
    } else {
      listeners.forEach(l -> l.accept(message));
    }
  }

  /** Joins the frames of each message. */
  private static final class Listener implements WebSocket.Listener {
    private final StringBuilder buffer = new StringBuilder();
    private volatile HeadlessChromium owner;

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      buffer.append(data);
      if (last) {
        String text = buffer.toString();
        buffer.setLength(0);
        // nothing is sent, so nothing answered, before the owner is set
        if (owner != null) {
          owner.received(text);
        }
      }
      ws.request(1);
      return null;
    }
  }

  @Override
  public void close() throws IOException {
    try {
      call(null, "Browser.close", JSON.createObjectNode());
    } catch (RuntimeException e) {
      // the process is stopped below anyway
    }
    stop(process);
    try (Stream<Path> files = Files.walk(profile)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  private static void stop(Process process) {
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
