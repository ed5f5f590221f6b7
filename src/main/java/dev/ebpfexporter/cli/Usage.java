package dev.ebpfexporter.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * What the command line prints about itself: a synopsis that wraps between flags, never inside one
 * (picocli's own breaks {@code --btf.path} at the dot), and one line for a bad command line instead
 * of the whole usage.
 */
final class Usage {
    static final String HINT = "run ebpf_exporter --help for the list of flags";

    private Usage() {
    }

    /** What {@code ebpf_exporter hist} prints after a bad command line. */
    static final String HIST_HINT = "run ebpf_exporter hist --help for its usage";

    /** Installs the synopsis renderer and the one-line handler of bad flags on {@code commandLine}. */
    static void install(CommandLine commandLine) {
        commandLine.getHelpSectionMap().put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_SYNOPSIS,
                help -> synopsis(help.commandSpec(), help.commandSpec().usageMessage().width()));
        installOneLineErrors(commandLine, "ebpf_exporter", HINT);
    }

    /**
     * A bad command line of {@code commandLine} prints {@code <name>: <what is wrong>; <hint>} and exits
     * with the command's invalid-input status, instead of the whole usage.
     */
    static void installOneLineErrors(CommandLine commandLine, String name, String hint) {
        commandLine.setParameterExceptionHandler((e, args) -> {
            PrintWriter err = e.getCommandLine().getErr();
            err.println(oneLine(e, name, hint));
            err.flush();
            return e.getCommandLine().getCommandSpec().exitCodeOnInvalidInput();
        });
    }

    /** {@code ebpf_exporter: <what is wrong>; run ebpf_exporter --help for the list of flags}. */
    static String oneLine(CommandLine.ParameterException e) {
        return oneLine(e, "ebpf_exporter", HINT);
    }

    private static String oneLine(CommandLine.ParameterException e, String name, String hint) {
        String message = e.getMessage();
        if (e instanceof CommandLine.UnmatchedArgumentException unmatched) {
            List<String> suggestions = unmatched.getSuggestions();
            if (!suggestions.isEmpty()) {
                message += " (did you mean " + String.join(" or ", suggestions) + "?)";
            }
        }
        return name + ": " + message + "; " + hint;
    }

    /** {@code ebpf_exporter [-hV] [--flag=VALUE] ...} (after the heading), wrapped at {@code width} between flags. */
    static String synopsis(CommandSpec spec, int width) {
        List<String> tokens = new ArrayList<>();
        StringBuilder shortFlags = new StringBuilder();
        for (OptionSpec option : spec.options()) {
            if (option.usageHelp() || option.versionHelp()) {
                shortFlags.append(option.shortestName().substring(1));
            }
        }
        if (!shortFlags.isEmpty()) {
            tokens.add("[-" + shortFlags + "]");
        }
        for (OptionSpec option : spec.options()) {
            if (option.usageHelp() || option.versionHelp() || option.hidden()) {
                continue;
            }
            String flag = option.longestName() + (option.typeInfo().isBoolean() ? "" : "=" + option.paramLabel());
            tokens.add(option.required() ? flag : "[" + flag + "]");
        }
        // After picocli's "Usage: " heading.
        String heading = spec.usageMessage().synopsisHeading().replace("%n", "");
        String prefix = spec.name() + " ";
        String indent = " ".repeat(heading.length() + prefix.length());
        StringBuilder out = new StringBuilder(prefix);
        int column = indent.length();
        boolean first = true;
        for (String token : tokens) {
            if (!first && column + 1 + token.length() > width) {
                out.append(System.lineSeparator()).append(indent);
                column = indent.length();
            } else if (!first) {
                out.append(' ');
                column++;
            }
            out.append(token);
            column += token.length();
            first = false;
        }
        return out.append(System.lineSeparator()).toString();
    }
}
