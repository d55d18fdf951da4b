package io.heapsdk.cli;

import io.heapsdk.internal.NearestNames;
import io.heapsdk.HeapException;
import io.heapsdk.run.HeapRunException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Turns what went wrong into an exit code and one line on stderr, {@code heap: <message>}; the failing
 * statement and the stack trace only with {@code --verbose}, since users fix their input from the
 * message and only bug reports need the trace.
 */
final class Failures {
  private final PrintWriter err;

  Failures(PrintWriter err) {
    this.err = err;
  }

  int usage(ParameterException e, String[] args) {
    String message =
        e instanceof UnmatchedArgumentException u
            ? unmatched(u)
            : e instanceof MissingParameterException
                ? unknownOption(e.getCommandLine(), args).orElse(withoutJavaNames(firstLine(e.getMessage())))
                : withoutJavaNames(firstLine(e.getMessage()));
    err.println("heap: " + message + " (see: " + e.getCommandLine().getCommandSpec().qualifiedName() + " --help)");
    return HeapCli.USAGE;
  }

  /**
   * A mistyped command or option, with picocli's nearest names ({@code heap runn}: did you mean run?)
   * rather than its "Unmatched argument at index 0".
   */
  private static String unmatched(UnmatchedArgumentException e) {
    List<String> unmatched = e.getUnmatched();
    String first = unmatched.isEmpty() ? "" : unmatched.get(0);
    CommandLine command = e.getCommandLine();
    boolean commandExpected = !command.getSubcommands().isEmpty() && !first.startsWith("-");
    String what = commandExpected ? "unknown command" : first.startsWith("-") ? "unknown option" : "unexpected argument";
    List<String> suggestions = e.getSuggestions();
    String message = what + " '" + first + "'";
    if (!suggestions.isEmpty()) {
      message += "; did you mean " + String.join(" or ", suggestions.stream().limit(3).map(x -> "'" + x + "'").toList()) + "?";
    } else if (commandExpected) {
      message += "; the commands are " + HeapCli.commands(command);
    }
    return message;
  }

  /**
   * A required option reported missing because it was mistyped ({@code --stpes} for {@code --steps}):
   * picocli checks the required options before it complains about the unknown one, so the user would
   * read "missing --steps" with the typo on the line. The first option-like argument the command does
   * not know, with the nearest option names; empty when every option was known.
   */
  private static Optional<String> unknownOption(CommandLine command, String[] args) {
    Map<String, OptionSpec> options = command.getCommandSpec().optionsMap();
    // the command's own arguments: after its name (the ones before belong to heap itself, --verbose)
    int start = command.getParent() == null ? 0 : Arrays.asList(args).indexOf(command.getCommandName()) + 1;
    for (String arg : Arrays.asList(args).subList(Math.max(0, start), args.length)) {
      if (!arg.startsWith("-") || arg.equals("-") || arg.equals("--")) {
        continue;
      }
      String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
      if (options.containsKey(name) || command.getSubcommands().containsKey(name)) {
        continue;
      }
      return Optional.of(
          "unknown option '" + name + "'" + NearestNames.didYouMean(name, options.keySet().stream().filter(o -> o.startsWith("--")).toList()));
    }
    return Optional.empty();
  }

  /**
   * Picocli's built-in converters report a refused value as {@code cannot convert 'x' to class
   * java.nio.file.Path (java.nio.file.InvalidPathException: ...)}; say what was expected instead. (The
   * CLI's own converters, for dates, durations and the like, say so themselves.)
   */
  private static final Pattern JAVA_CONVERSION =
      Pattern.compile("cannot convert '(.*)' to (?:class |interface )?(?:[\\w$]+\\.)*([\\w$]+) \\(.*\\)$");

  /** Picocli's own words for a number option given another value: {@code 'abc' is not a long}. */
  private static final Pattern NOT_A_NUMBER = Pattern.compile(": '(.*)' is not an? (int|long|integer|short|byte|float|double)$");

  static String withoutJavaNames(String message) {
    Matcher n = NOT_A_NUMBER.matcher(message);
    if (n.find()) {
      boolean whole = !n.group(2).equals("float") && !n.group(2).equals("double");
      return message.substring(0, n.start()) + ": \"" + n.group(1) + "\" is not a " + (whole ? "whole number" : "number");
    }
    Matcher m = JAVA_CONVERSION.matcher(message);
    if (!m.find()) {
      return message;
    }
    String type = m.group(2);
    String kind =
        switch (type) {
          case "Path", "File" -> "file or folder name";
          case "Integer", "int", "Long", "long" -> "whole number";
          case "Double", "double", "Float", "float" -> "number";
          default -> type.replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT);
        };
    return message.substring(0, m.start()) + "\"" + m.group(1) + "\" is not a valid " + kind;
  }

  int execution(Exception e, CommandLine command, ParseResult parsed) {
    int code = exitCode(e);
    // a HeapRunException is one line already: the statement is kept apart, and --verbose prints it
    String message = e instanceof HeapException ? firstLine(e.getMessage()) : "internal error: " + firstLine(String.valueOf(e));
    boolean verbose = verbose(parsed);
    err.println("heap: " + message + (verbose || code == HeapCli.USAGE ? "" : " (--verbose shows more)"));
    if (verbose) {
      if (e instanceof HeapRunException run) {
        err.println("statement:");
        err.println(run.statement());
      }
      // the driver's messages in the trace may repeat the URL's password: masked as the message is
      StringWriter trace = new StringWriter();
      e.printStackTrace(new PrintWriter(trace));
      String text = trace.toString();
      for (String url : jdbcUrls(parsed)) {
        text = Database.masked(text, url);
      }
      err.print(text);
    }
    return code;
  }

  /**
   * The exit code of a failed command: 1 when a statement or model failed on the database, and also when a
   * look-up heap makes on its own (the catalog, the run state) failed there at run time: cancelled or
   * timed out, the server shutting down (SQLSTATE class 57), a deadlock or serialization failure (40),
   * out of resources (53) or a system error (58), or a server that did not answer ({@link #NO_ANSWER}). A
   * scheduler retries those; 2 says the options, config,
   * URL or grants must change (a statement refused for want of a privilege: {@link
   * HeapRunException#lacksPrivilege}), 3 is heap's own fault. (A statement timeout used to exit 2 from {@code heap
   * status}'s catalog look-up and 1 from {@code heap run}: found by a probe.)
   */
  /**
   * A server that did not answer at all: PostgreSQL's driver's 08001 (refused, timed out, host not found)
   * and 08006 (the connection dropped as it was made), H2's 90067 (its TCP server not there), each where
   * the network's own exception says so ({@link #noAnswer}). A server
   * restarting for maintenance as the scheduled run starts is the common case, and a retry then works;
   * a mistyped port fails the same way again, and its message says where heap knocked. A server that
   * answered and refused the login (08004, 28P01) still exits 2. (It exited 2, so a scheduler that
   * retries on 1 did not retry an outage: found by a probe.)
   */
  private static final List<String> NO_ANSWER = List.of("08001", "08006", "90067");

  /**
   * Whether the network said nobody answered (refused, timed out, no route, no such host): the drivers
   * give the same SQLSTATEs for what only a change of the URL mends (PostgreSQL's 08001 for an invalid
   * {@code sslmode}, 08006 for a certificate it does not trust), which a retry never would.
   */
  private static boolean noAnswer(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof java.net.ConnectException
          || t instanceof java.net.NoRouteToHostException
          || t instanceof java.net.SocketTimeoutException
          || t instanceof java.net.UnknownHostException) {
        return true;
      }
      if (t instanceof javax.net.ssl.SSLException || t instanceof java.security.GeneralSecurityException) {
        return false;
      }
    }
    return false;
  }

  /**
   * A connection the server or the network ended while the command used it: PostgreSQL's driver's 08003
   * ("This connection has been closed.", a session ended while idle: {@code idle_session_timeout}, a
   * pooler, a failover) and 08006 over a reset or broken socket. A rerun opens a new one, so 1, as for a
   * server shutting down (57P01); it exited 2, "change the options", for {@code heap funnel} or {@code
   * heap sample} (a probe). A certificate refused at 08006 is still the URL's to mend.
   */
  private static boolean connectionLost(java.sql.SQLException sql) {
    if ("08003".equals(sql.getSQLState())) {
      return true;
    }
    if (!"08006".equals(sql.getSQLState())) {
      return false;
    }
    for (Throwable t = sql; t != null; t = t.getCause()) {
      if (t instanceof javax.net.ssl.SSLException || t instanceof java.security.GeneralSecurityException) {
        return false;
      }
      if (t instanceof java.net.SocketException || t instanceof java.io.EOFException) {
        return true;
      }
    }
    return false;
  }

  static int exitCode(Exception e) {
    if (e instanceof HeapRunException run) {
      // a privilege heap's user lacks (a schema it may not create or use, a Heap table it may not read):
      // no retry helps until it is granted, as the README's exit codes say (a probe saw exit 1)
      return run.lacksPrivilege() ? HeapCli.USAGE : HeapCli.MODEL_FAILED;
    }
    if (!(e instanceof HeapException)) {
      return HeapCli.INTERNAL;
    }
    for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
      if (t instanceof java.sql.SQLException sql && sql.getSQLState() != null
          && (List.of("57", "40", "53", "58").contains(sql.getSQLState().substring(0, Math.min(2, sql.getSQLState().length())))
              || (NO_ANSWER.contains(sql.getSQLState()) && noAnswer(sql))
              || connectionLost(sql))) {
        return HeapCli.MODEL_FAILED;
      }
    }
    return HeapCli.USAGE;
  }

  private static List<String> jdbcUrls(ParseResult parsed) {
    List<String> urls = new ArrayList<>();
    for (ParseResult p = parsed; p != null; p = p.subcommand()) {
      if (p.hasMatchedOption("--jdbc")) {
        urls.add(p.matchedOptionValue("--jdbc", ""));
      }
    }
    return urls;
  }

  private static boolean verbose(ParseResult parsed) {
    for (ParseResult p = parsed; p != null; p = p.subcommand()) {
      if (p.hasMatchedOption("--verbose")) {
        return true;
      }
    }
    return false;
  }

  private static String firstLine(String text) {
    if (text == null) {
      return "(no message)";
    }
    int newline = text.indexOf('\n');
    return (newline < 0 ? text : text.substring(0, newline)).strip();
  }
}
