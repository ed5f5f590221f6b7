package dev.ebpfexporter.build;

import dev.ebpfexporter.testing.BpfAvailability;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every catch site in src/main keeps its cause or says why not: the caught exception itself is
 * handed on (thrown, wrapped as a cause, logged as the throwable, passed to whoever handles it),
 * an interrupt is restored, or the block has a comment saying why the exception is dropped. A
 * message alone ({@code e.getMessage()}, {@code e.toString()}) is not the cause: the stack trace is gone.
 */
class CatchSitesTest {
    private static final Pattern CATCH = Pattern.compile("\\bcatch\\s*\\(([^)]*?)\\s+(\\w+)\\s*\\)\\s*\\{");

    /** One catch block: where it is, the caught variable and the block's text without its braces. */
    record Site(Path file, int line, String variable, String body) {
        @Override
        public String toString() {
            return BpfAvailability.projectRoot().relativize(file) + ":" + line + ": catch (" + variable + ")";
        }

        /** The exception object is used as a value: not only dereferenced ({@code e.getMessage()}). */
        boolean handsOnTheException() {
            Matcher use = Pattern.compile("\\b" + Pattern.quote(variable) + "\\b(?!\\s*\\.)").matcher(code(body));
            return use.find();
        }

        boolean restoresTheInterrupt() {
            return code(body).contains("Thread.currentThread().interrupt()");
        }

        boolean saysWhy() {
            String withoutStrings = blank(body, false);
            return withoutStrings.contains("//") || withoutStrings.contains("/*");
        }
    }

    @Test
    void everyCatchSiteKeepsItsCauseOrSaysWhyNot() throws IOException {
        List<Site> sites = sites(BpfAvailability.projectRoot().resolve("src/main/java"));
        assertThat(sites).as("catch sites found").hasSizeGreaterThan(100);
        List<String> dropping = sites.stream()
                .filter(s -> !s.handsOnTheException() && !s.restoresTheInterrupt() && !s.saysWhy())
                .map(Site::toString).toList();
        assertThat(dropping).as("catch sites that drop the exception without a comment saying why").isEmpty();
    }

    @Test
    void theScanSeesWhatAMessageAloneDrops() {
        Path file = Path.of("Example.java");
        assertThat(new Site(file, 1, "e", " LOG.warn(\"x: {}\", e.getMessage()); ").handsOnTheException()).isFalse();
        assertThat(new Site(file, 1, "e", " throw new IllegalStateException(e.toString()); ").handsOnTheException()).isFalse();
        assertThat(new Site(file, 1, "e", " throw new IllegalStateException(\"x: \" + e.getMessage(), e); ").handsOnTheException()).isTrue();
        assertThat(new Site(file, 1, "e", " LOG.debug(\"x\", e); ").handsOnTheException()).isTrue();
        assertThat(new Site(file, 1, "e", " throw e; ").handsOnTheException()).isTrue();
        assertThat(new Site(file, 1, "e", " return \"e\"; ").handsOnTheException()).isFalse();
        assertThat(new Site(file, 1, "ignored", " ").saysWhy()).isFalse();
        assertThat(new Site(file, 1, "ignored", " // the file may be gone already ").saysWhy()).isTrue();
        assertThat(new Site(file, 1, "e", " return \"http://localhost\"; ").saysWhy()).isFalse();
    }

    static List<Site> sites(Path root) throws IOException {
        List<Site> sites = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                String text = Files.readString(file);
                String code = code(text);
                Matcher matcher = CATCH.matcher(code);
                while (matcher.find()) {
                    int open = matcher.end() - 1;
                    int close = matchingBrace(code, open);
                    int line = (int) code.substring(0, matcher.start()).chars().filter(c -> c == '\n').count() + 1;
                    sites.add(new Site(file, line, matcher.group(2), text.substring(open + 1, close)));
                }
            }
        }
        return sites;
    }

    /** The text with string and char literals and comments blanked (same length), so braces and names in them do not count. */
    static String code(String text) {
        return blank(text, true);
    }

    /** Blanks string and char literals, and comments too when {@code comments}. */
    static String blank(String text, boolean comments) {
        StringBuilder out = new StringBuilder(text);
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            int end;
            if (text.startsWith("//", i)) {
                end = text.indexOf('\n', i);
                end = end < 0 ? text.length() : end;
            } else if (text.startsWith("/*", i)) {
                end = text.indexOf("*/", i + 2) + 2;
            } else if (text.startsWith("\"\"\"", i)) {
                end = text.indexOf("\"\"\"", i + 3) + 3;
            } else if (c == '"' || c == '\'') {
                end = i + 1;
                while (text.charAt(end) != c) {
                    end += text.charAt(end) == '\\' ? 2 : 1;
                }
                end++;
            } else {
                i++;
                continue;
            }
            boolean comment = text.startsWith("//", i) || text.startsWith("/*", i);
            for (int j = i; j < end && (comments || !comment); j++) {
                if (out.charAt(j) != '\n') {
                    out.setCharAt(j, ' ');
                }
            }
            i = end;
        }
        return out.toString();
    }

    private static int matchingBrace(String code, int open) {
        int depth = 0;
        for (int i = open; i < code.length(); i++) {
            if (code.charAt(i) == '{') {
                depth++;
            } else if (code.charAt(i) == '}' && --depth == 0) {
                return i;
            }
        }
        throw new IllegalStateException("unbalanced braces after offset " + open);
    }
}
