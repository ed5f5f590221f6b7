package dev.ebpfexporter.exposition;

import java.nio.charset.StandardCharsets;

/** The text formats' escapes. */
final class Escape {
    private Escape() {
    }

    /** Label values (both text formats): backslash, double quote and newline. */
    static void labelValue(ByteBuf out, String value) {
        escape(out, value, true);
    }

    /** HELP text: backslash and newline; OpenMetrics also escapes the double quote. */
    static void help(ByteBuf out, String help, boolean openMetrics) {
        escape(out, help, openMetrics);
    }

    private static void escape(ByteBuf out, String s, boolean quote) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        for (byte b : bytes) {
            switch (b) {
                case '\\' -> out.put('\\').put('\\');
                case '\n' -> out.put('\\').put('n');
                case '"' -> {
                    if (quote) {
                        out.put('\\');
                    }
                    out.put('"');
                }
                default -> out.put(b);
            }
        }
    }
}
