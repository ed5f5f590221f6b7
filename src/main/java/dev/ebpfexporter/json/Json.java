package dev.ebpfexporter.json;

/**
 * JSON string escaping for the little JSON we write by hand: {@code /maps}, the live view's data and
 * JSON log lines (whose escaping also serves logfmt's quoted values). Besides what JSON requires, every
 * character that changes how a line looks without being seen is escaped ({@link #invisible}): control
 * characters, Unicode format characters such as U+202E (which reverses the text after it on a terminal),
 * line and paragraph separators; so a config's text cannot forge or hide a log line, and the output is
 * safe to embed in a script.
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

    /**
     * Whether {@code codePoint} is written as a JSON <code>&#92;uXXXX</code> escape: controls (C0, DEL, C1),
     * format characters (Unicode category Cf: bidirectional overrides and isolates, zero-width characters,
     * the byte order mark, tag characters), line and paragraph separators, and unpaired surrogates.
     */
    public static boolean invisible(int codePoint) {
        return switch (Character.getType(codePoint)) {
            case Character.CONTROL, Character.FORMAT, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
                 Character.SURROGATE -> true;
            default -> false;
        };
    }

    private static StringBuilder escape(StringBuilder out, String value) {
        for (int i = 0; i < value.length(); ) {
            int codePoint = value.codePointAt(i);
            int chars = Character.charCount(codePoint);
            switch (codePoint) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (invisible(codePoint)) {
                        for (int j = i; j < i + chars; j++) { // a supplementary character as its two escaped halves
                            out.append(String.format("\\u%04x", (int) value.charAt(j)));
                        }
                    } else {
                        out.append(value, i, i + chars);
                    }
                }
            }
            i += chars;
        }
        return out;
    }
}
