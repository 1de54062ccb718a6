package io.cachemode.operator.verify;

import java.util.Locale;
import java.util.Optional;

/**
 * Reads one line of a Redis {@code MONITOR} stream without keeping its arguments, which are
 * application data: only the client, the command name and the number of arguments survive.
 *
 * <p>Format (redis {@code replicationFeedMonitors}, also Upstash's): {@code <seconds>.<micros>
 * [<db> <client>] "<command>" "<arg>" ...}, where the client is {@code ip:port}, {@code
 * [ipv6]:port}, {@code unix:<path>} or {@code lua}, and each quoted token escapes {@code "} and
 * {@code \} with a backslash (plus {@code \n}, {@code \xHH} and the like).
 */
final class MonitorLine {

  private MonitorLine() {}

  /**
   * @param client the client as the server names it
   * @param command the command name, lower case
   * @param arguments how many arguments followed it
   */
  record Parsed(String client, String command, int arguments) {}

  static Optional<Parsed> parse(String line) {
    if (line == null) {
      return Optional.empty();
    }
    int open = line.indexOf(" [");
    int firstQuote = line.indexOf('"', open + 2);
    // The client part ends with "] " right before the first quoted token; a bracketed IPv6
    // address inside it holds a ']' of its own.
    if (open < 0 || firstQuote < open + 4 || !line.startsWith("] ", firstQuote - 2)) {
      return Optional.empty();
    }
    String inside = line.substring(open + 2, firstQuote - 2);
    int space = inside.indexOf(' ');
    if (space <= 0 || space == inside.length() - 1) {
      return Optional.empty();
    }
    String client = inside.substring(space + 1);
    StringBuilder command = new StringBuilder();
    int tokens = 0;
    int i = firstQuote;
    while (i < line.length()) {
      if (line.charAt(i) != '"') {
        return Optional.empty();
      }
      int end = endOfToken(line, i + 1, tokens == 0 ? command : null);
      if (end < 0) {
        return Optional.empty();
      }
      tokens++;
      i = end + 1;
      if (i < line.length()) {
        if (line.charAt(i) != ' ') {
          return Optional.empty();
        }
        i++;
      }
    }
    if (tokens == 0 || command.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new Parsed(client, command.toString().toLowerCase(Locale.ROOT), tokens - 1));
  }

  /**
   * The index of the quote closing the token that starts at {@code from}, or -1; copies the token
   * into {@code text} only when given (the command name, never an argument).
   */
  private static int endOfToken(String line, int from, StringBuilder text) {
    for (int i = from; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '"') {
        return i;
      }
      if (c == '\\') {
        if (i + 1 >= line.length()) {
          return -1;
        }
        char escaped = line.charAt(i + 1);
        // \xHH is four characters, every other escape two.
        i += escaped == 'x' ? 3 : 1;
        if (text != null && escaped != 'x') {
          text.append(escaped);
        }
      } else if (text != null) {
        text.append(c);
      }
    }
    return -1;
  }
}
