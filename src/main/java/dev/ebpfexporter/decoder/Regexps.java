package dev.ebpfexporter.decoder;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;

/**
 * Compiles the regexps of configs (the {@code regexp} decoder, {@code cgroup_id_map}) as RE2, the syntax of
 * Go's regexp package that the reference uses. Matching is linear in the input; compiling is not linear in the
 * pattern's length (a 200 000-character literal takes tens of seconds), hence the length limit.
 */
public final class Regexps {
    /** Longer than any regexp a label or cgroup path needs; compiles in milliseconds. */
    public static final int MAX_LENGTH = 1024;

    private Regexps() {
    }

    /** @throws PatternSyntaxException when {@code regexp} is longer than {@link #MAX_LENGTH} or not valid RE2 */
    public static Pattern compile(String regexp) {
        if (regexp.length() > MAX_LENGTH) {
            throw new PatternSyntaxException("longer than " + MAX_LENGTH + " characters (" + regexp.length() + ")");
        }
        return Pattern.compile(regexp);
    }

    /** {@code regexp} for an error message: cut after 60 characters, so that the message stays one short line. */
    public static String shown(String regexp) {
        return regexp.length() <= 80 ? regexp : regexp.substring(0, 60) + "...";
    }
}
