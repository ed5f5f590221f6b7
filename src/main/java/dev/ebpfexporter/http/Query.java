package dev.ebpfexporter.http;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A request's query string split into {@code name=value} parameters and percent-decoded once, before any
 * path sees it, as Go's {@code url.ParseQuery} does ({@code +} is a space, a part without {@code =} has
 * an empty value). A malformed escape ({@code %zz}, a cut-off {@code %4}) makes the whole request a 400.
 */
public record Query(List<Parameter> parameters) {
    public static final Query EMPTY = new Query(List.of());

    /** One {@code name=value} pair, decoded. */
    public record Parameter(String name, String value) {
    }

    public Query {
        parameters = List.copyOf(parameters);
    }

    /**
     * Parses {@code raw} (the part after {@code ?}; null or empty for none).
     *
     * @throws IllegalArgumentException on a malformed percent escape, naming the part
     */
    public static Query parse(String raw) {
        if (raw == null || raw.isEmpty()) {
            return EMPTY;
        }
        List<Parameter> parameters = new ArrayList<>();
        for (String part : raw.split("&")) {
            if (part.isEmpty()) {
                continue;
            }
            int eq = part.indexOf('=');
            parameters.add(new Parameter(decode(eq < 0 ? part : part.substring(0, eq), part),
                    eq < 0 ? "" : decode(part.substring(eq + 1), part)));
        }
        return new Query(parameters);
    }

    private static String decode(String text, String part) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("malformed query parameter " + shown(part)
                    + ": a % must be followed by two hex digits", e);
        }
    }

    /** The part as received, cut short: it is the client's text. */
    private static String shown(String part) {
        return "\"" + (part.length() <= 40 ? part : part.substring(0, 40) + "...") + "\"";
    }

    public boolean isEmpty() {
        return parameters.isEmpty();
    }
}
