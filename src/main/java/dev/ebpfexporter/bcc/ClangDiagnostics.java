package dev.ebpfexporter.bcc;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Turns clang's stderr into the one-line message of a config error, at the YAML line clang names. */
final class ClangDiagnostics {
    private static final Pattern ERROR = Pattern.compile("^(.*?):(\\d+):(\\d+): (?:fatal )?error: (.*)$");

    private ClangDiagnostics() {
    }

    /**
     * @param generated the generated .bpf.c, named when the error is in code we wrote rather than the YAML's
     */
    static String firstError(ProgramSource program, String stderr, java.nio.file.Path generated) {
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
            return yaml + ": program \"" + program.name() + "\": " + m.group(4) + " (in generated " + generated
                    + ":" + m.group(2) + ")";
        }
        String first = stderr.strip().isEmpty() ? "clang failed" : stderr.strip().split("\n")[0];
        return yaml + ": program \"" + program.name() + "\": " + first;
    }
}
