package dev.ebpfexporter.bcc;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns clang's stderr into the one-line message of a config error, at the YAML line clang names. clang
 * quotes the source lines it complains about; when that source is a file the program included rather than
 * the YAML or the code we generated, its text stays out of messages and logs (an {@code #include} of a file
 * only root can read must not print it).
 */
final class ClangDiagnostics {
    private static final Pattern LOCATED = Pattern.compile(
            "^(.*?):(\\d+):(\\d+): (?:fatal error|error|warning|note|remark): (.*)$");
    private static final Pattern ERROR = Pattern.compile("^(.*?):(\\d+):(\\d+): (?:fatal )?error: (.*)$");

    private ClangDiagnostics() {
    }

    /**
     * @param generated the generated .bpf.c, named when the error is in code we wrote rather than the YAML's
     */
    static String firstError(ProgramSource program, String stderr, Path generated) {
        String yaml = program.yamlFile().toString();
        for (String line : stderr.split("\n")) {
            Matcher m = ERROR.matcher(line);
            if (!m.matches()) {
                continue;
            }
            if (m.group(1).equals(yaml)) {
                // clang's column counts from the code's own indentation, not the YAML's: leave it out.
                return yaml + ":" + m.group(2) + ": program \"" + program.name() + "\": " + m.group(4);
            }
            if (!ours(m.group(1), program, generated)) {
                return yaml + ": program \"" + program.name() + "\": clang failed in included file " + m.group(1)
                        + ":" + m.group(2) + " (its text is not shown)";
            }
            return yaml + ": program \"" + program.name() + "\": " + m.group(4) + " (in generated " + generated
                    + ":" + m.group(2) + ")";
        }
        String first = shown(program, stderr, generated).strip();
        return yaml + ": program \"" + program.name() + "\": "
                + (first.isEmpty() ? "clang failed" : first.split("\n")[0]);
    }

    /**
     * clang's stderr without the diagnostics located in other files (and the source lines they quote),
     * for the debug log: a count of what was left out stands in for them.
     */
    static String shown(ProgramSource program, String stderr, Path generated) {
        List<String> kept = new ArrayList<>();
        boolean showing = true;
        int withheld = 0;
        for (String line : stderr.split("\n")) {
            Matcher m = LOCATED.matcher(line);
            if (m.matches()) {
                showing = ours(m.group(1), program, generated);
            } else if (line.startsWith("In file included from ")) {
                showing = true;
            } else if (line.matches("^\\d+ (errors?|warnings?)( and \\d+ (errors?|warnings?))? generated\\.$")) {
                showing = true;
            }
            if (showing) {
                kept.add(line);
            } else {
                withheld++;
            }
        }
        if (withheld > 0) {
            kept.add("(" + withheld + " lines about included files not shown)");
        }
        return String.join("\n", kept);
    }

    private static boolean ours(String file, ProgramSource program, Path generated) {
        return file.equals(program.yamlFile().toString()) || file.equals(generated.toString());
    }
}
