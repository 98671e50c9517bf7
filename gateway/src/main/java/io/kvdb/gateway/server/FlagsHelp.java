package io.kvdb.gateway.server;

import java.util.Arrays;
import java.util.StringJoiner;
import picocli.CommandLine.Help;
import picocli.CommandLine.Help.Ansi.Text;
import picocli.CommandLine.Model.OptionSpec;

/** Picocli's option list, each flag followed by its environment variable, default and bounds. */
final class FlagsHelp {
  private FlagsHelp() {}

  static String optionList(Help help) {
    Help.IOptionRenderer standard = help.createDefaultOptionRenderer();
    Help.Layout layout = help.createDefaultLayout();
    Help.Layout withSettings =
        new Help.Layout(
            layout.colorScheme(),
            layout.textTable(),
            (flag, labels, scheme) ->
                append(standard.render(flag, labels, scheme), settings(flag), scheme),
            layout.parameterRenderer());
    return help.optionList(withSettings, null, help.parameterLabelRenderer());
  }

  private static String settings(OptionSpec flag) {
    StringJoiner settings = new StringJoiner(", ", "(", ")").setEmptyValue("");
    GatewayFlags.env(flag).ifPresent(env -> settings.add("env " + env));
    if (flag.defaultValue() != null) {
      settings.add("default " + flag.defaultValue());
    }
    GatewayFlags.bounds(flag)
        .ifPresent(bounds -> settings.add(bounds.min() + " to " + bounds.max()));
    return settings.toString();
  }

  private static Text[][] append(Text[][] rows, String line, Help.ColorScheme scheme) {
    if (line.isEmpty()) {
      return rows;
    }
    Text empty = scheme.text("");
    Text[][] longer = Arrays.copyOf(rows, rows.length + 1);
    longer[rows.length] = new Text[] {empty, empty, empty, empty, scheme.text(line)};
    return longer;
  }
}
