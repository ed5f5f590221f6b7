package dev.ebpfexporter.bcc;

import java.nio.file.Path;
import java.util.List;

/**
 * One inline program of a v1 config: its code and where it came from.
 *
 * @param yamlFile     the config file, for messages and {@code #line}
 * @param name         the program's {@code name:}
 * @param code         the {@code code:} block
 * @param firstLine    the YAML line of the code's first line
 * @param attachPoints where its functions attach, in YAML order
 * @param kaddrs       kernel symbols whose addresses the loader sets into {@code kaddr_<symbol>}
 * @param cflags       extra compiler flags ({@code cflags:})
 */
public record ProgramSource(Path yamlFile, String name, String code, int firstLine, List<AttachPoint> attachPoints,
                            List<String> kaddrs, List<String> cflags) {
    public ProgramSource {
        attachPoints = List.copyOf(attachPoints);
        kaddrs = List.copyOf(kaddrs);
        cflags = List.copyOf(cflags);
    }

    /** The YAML line of a line of the code block. */
    public int yamlLine(int codeLine) {
        return firstLine + codeLine - 1;
    }

    /** One-line error at a line of the code: {@code <yaml>:<line>: program "<name>": <message>}. */
    public String message(int codeLine, String message) {
        return yamlFile + ":" + yamlLine(codeLine) + ": program \"" + name + "\": " + message;
    }
}
