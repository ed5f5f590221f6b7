package dev.ebpfexporter.json;

/**
 * JSON string escaping for the little JSON we write by hand: {@code /maps} and JSON log lines (whose
 * escaping also serves logfmt's quoted values). U+2028 and U+2029 are escaped too, so the output
 * is safe to embed in a script.
 */
public final class Json {
    private Json() {
    }

    /** {@code value} as a quoted JSON string literal. */
    public static String string(String value) {
        return escape(new StringBuilder(value.length() + 2).append('"'), value).append('"').toString();
    }

    /** {@code value} escaped for the inside of a JSON string, without the quotes. */
    public static String escape(String value) {
        return escape(new StringBuilder(value.length() + 8), value).toString();
    }

    private static StringBuilder escape(StringBuilder out, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out;
    }
}
