package dev.ebpfexporter.docs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fenced shell blocks of a Markdown file (info string {@code sh}, {@code shell}, {@code bash} or
 * {@code console}) and what the doc-command test is told about each, by HTML comments on the lines
 * right before its opening fence:
 * <ul>
 *   <li>{@code <!-- doc-test: skip: <why> -->}: not run (a reason is required);</li>
 *   <li>{@code <!-- doc-test: replace <from> => <to> -->}: run with that text replaced (to may be empty).</li>
 * </ul>
 * Any other {@code doc-test:} comment is an error, so a typo cannot silently skip a block.
 *
 * <p>Commands in tables count too: each code span of a table cell that reads as a command
 * ({@code ./ebpf_exporter ...}, {@code scripts/...}, {@code podman ...}) is a block of one line (a
 * {@code \|} in it is the table's escape of {@code |}); a {@code <!-- doc-test: skip: <why> -->} in
 * the same cell keeps the cell's commands out.
 */
record DocBlocks(Path file, List<Block> blocks, List<String> unlabelledCommands) {
    static final Set<String> SHELL = Set.of("sh", "shell", "bash", "console");
    static final String HOW_TO_MARK = "To keep a block out of this test, put <!-- doc-test: skip: <why> --> on the line"
            + " right before its opening ``` fence; to run it with a change, <!-- doc-test: replace <from> => <to> -->.";
    private static final Pattern MARKER = Pattern.compile("^\\s*<!--\\s*doc-test:\\s*(.*?)\\s*-->\\s*$");
    private static final Pattern FENCE = Pattern.compile("^(\\s*)(```+|~~~+)\\s*([\\w+-]*).*$");
    /** First lines that say "this is a command to run", so the block must be labelled sh to be tested. */
    private static final Pattern COMMAND = Pattern.compile("^(\\./|make |curl |sudo |chown |apt-get |mkdir |cd ).*");
    /** Code spans of a table cell that are commands to run. */
    private static final Pattern TABLE_COMMAND = Pattern.compile("^(\\./|\\.ci/|scripts/|podman |curl |make ).*");
    private static final Pattern CODE_SPAN = Pattern.compile("`([^`]+)`");
    private static final Pattern INLINE_MARKER = Pattern.compile("<!--\\s*doc-test:\\s*(.*?)\\s*-->");
    private static final Pattern TABLE_SEPARATOR = Pattern.compile("^\\|[\\s|:-]+\\|?\\s*$");

    /** One shell block: where it starts (1-based line of the fence), its text, and its markers. */
    record Block(Path file, int line, List<String> lines, Optional<String> skip, List<Replacement> replacements) {
        String where() {
            return file + ":" + line;
        }

        /** The script as the test runs it: the block's text with the replacements applied. */
        String script() {
            String text = String.join("\n", lines) + "\n";
            for (Replacement r : replacements) {
                if (!text.contains(r.from())) {
                    throw new IllegalStateException(where() + ": <!-- doc-test: replace " + r.from()
                            + " => ... --> does not match the block any more");
                }
                text = text.replace(r.from(), r.to());
            }
            return text;
        }
    }

    record Replacement(String from, String to) {
    }

    static DocBlocks read(Path root, Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        List<Block> blocks = new ArrayList<>();
        List<String> unlabelled = new ArrayList<>();
        Path relative = root.relativize(file);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("|")) {
                blocks.addAll(tableCommands(relative, i + 1, lines.get(i)));
                continue;
            }
            Matcher fence = FENCE.matcher(lines.get(i));
            if (!fence.matches()) {
                continue;
            }
            String marker = fence.group(2);
            int end = i + 1;
            while (end < lines.size() && !(lines.get(end).strip().startsWith(marker)
                    && lines.get(end).strip().matches("`{3,}|~{3,}"))) {
                end++;
            }
            if (fence.group(3).isEmpty() && end > i + 1 && COMMAND.matcher(lines.get(i + 1).strip()).matches()) {
                unlabelled.add(relative + ":" + (i + 1) + ": `" + lines.get(i + 1).strip() + "` is in a fence without"
                        + " a language: make it ```sh so this test runs it. " + HOW_TO_MARK);
            }
            if (SHELL.contains(fence.group(3))) {
                List<String> body = lines.subList(i + 1, Math.min(end, lines.size())).stream()
                        .map(l -> l.startsWith(fence.group(1)) ? l.substring(fence.group(1).length()) : l).toList();
                Optional<String> skip = Optional.empty();
                List<Replacement> replacements = new ArrayList<>();
                for (int m = i - 1; m >= 0; m--) {
                    Matcher comment = MARKER.matcher(lines.get(m));
                    if (!comment.matches()) {
                        break;
                    }
                    String directive = comment.group(1);
                    if (directive.startsWith("skip:") && !directive.substring(5).isBlank()) {
                        skip = Optional.of(directive.substring(5).strip());
                    } else if (directive.startsWith("replace ") && directive.contains(" =>")) {
                        int arrow = directive.indexOf(" =>");
                        replacements.add(new Replacement(directive.substring(8, arrow),
                                directive.substring(arrow + 3).strip()));
                    } else {
                        throw new IllegalStateException(relative + ":" + (m + 1) + ": unknown doc-test marker \""
                                + directive + "\". " + HOW_TO_MARK);
                    }
                }
                blocks.add(new Block(relative, i + 1, List.copyOf(body), skip, List.copyOf(replacements)));
            }
            i = end;
        }
        return new DocBlocks(relative, List.copyOf(blocks), List.copyOf(unlabelled));
    }

    /** The commands in the cells of one table row ({@code lineNumber} 1-based), each a block of one line. */
    static List<Block> tableCommands(Path file, int lineNumber, String row) {
        if (TABLE_SEPARATOR.matcher(row).matches()) {
            return List.of();
        }
        List<Block> commands = new ArrayList<>();
        for (String cell : row.split("(?<!\\\\)\\|")) {
            Optional<String> skip = Optional.empty();
            Matcher marker = INLINE_MARKER.matcher(cell);
            while (marker.find()) {
                String directive = marker.group(1);
                if (!directive.startsWith("skip:") || directive.substring(5).isBlank()) {
                    throw new IllegalStateException(file + ":" + lineNumber + ": unknown doc-test marker \"" + directive
                            + "\" in a table cell (only skip: <why> is allowed there). " + HOW_TO_MARK);
                }
                skip = Optional.of(directive.substring(5).strip());
            }
            Matcher span = CODE_SPAN.matcher(cell);
            while (span.find()) {
                String command = span.group(1).replace("\\|", "|").strip();
                if (TABLE_COMMAND.matcher(command).matches()) {
                    commands.add(new Block(file, lineNumber, List.of(command), skip, List.of()));
                }
            }
        }
        return commands;
    }
}
