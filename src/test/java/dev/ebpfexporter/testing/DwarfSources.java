package dev.ebpfexporter.testing;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The source files a BPF object was compiled from, as its DWARF line table names them (llvm-dwarfdump). */
public final class DwarfSources {
    private static final Pattern DIRECTORY = Pattern.compile("include_directories\\[\\s*(\\d+)] = \"([^\"]+)\"");
    private static final Pattern FILE = Pattern.compile("name: \"([^\"]+)\"\\s+dir_index: (\\d+)");

    private DwarfSources() {
    }

    /** The files of {@code object}'s DWARF line table, each resolved against its include directory. */
    public static List<Path> of(Path object) throws Exception {
        Process dump = new ProcessBuilder("llvm-dwarfdump", "--debug-line", object.toString())
                .redirectErrorStream(true).start();
        String output = new String(dump.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(dump.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(dump.exitValue()).as(output).isZero();
        Map<Integer, Path> directories = new HashMap<>();
        Matcher d = DIRECTORY.matcher(output);
        while (d.find()) {
            directories.putIfAbsent(Integer.parseInt(d.group(1)), Path.of(d.group(2)));
        }
        Path compilation = directories.get(0);
        List<Path> files = new ArrayList<>();
        Matcher f = FILE.matcher(output);
        while (f.find()) {
            Path dir = compilation.resolve(directories.get(Integer.parseInt(f.group(2))));
            Path file = dir.resolve(f.group(1)).normalize();
            if (!files.contains(file)) {
                files.add(file);
            }
        }
        return files;
    }
}
