package dev.ebpfexporter.docs;

import dev.ebpfexporter.testing.BpfAvailability;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/architecture.md says what the code is: its floors are the packages' imports, and every file, class and
 * member it names in backticks exists, so a rename that leaves the guide behind fails here.
 */
class ArchitectureDocTest {
    private static final Path ROOT = BpfAvailability.projectRoot();
    private static final Path MAIN = ROOT.resolve("src/main/java/dev/ebpfexporter");
    private static final Pattern FLOOR = Pattern.compile("(?m)^floor (\\d+) +(.+)$");
    private static final Pattern IMPORT = Pattern.compile("(?m)^import (?:static )?dev\\.ebpfexporter\\.([a-z.]+?)\\.[A-Z]");
    private static final Pattern CODE = Pattern.compile("`([^`\\n]+)`");
    private static final Pattern MEMBER = Pattern.compile("^([A-Z][A-Za-z0-9]*)\\.([A-Za-z_][A-Za-z0-9_]*)");
    private static final Pattern CLASS = Pattern.compile("^[A-Z][a-z][A-Za-z0-9]*$");
    private static final Pattern FILE = Pattern.compile("^[\\w./<>-]+\\.(java|md|c|yaml|json)$");

    private static String doc() throws IOException {
        return Files.readString(ROOT.resolve("docs/architecture.md"));
    }

    @Test
    void everyPackageIsOnOneFloorAndUsesOnlyLowerFloors() throws IOException {
        Map<String, Integer> floors = new HashMap<>();
        Matcher floor = FLOOR.matcher(doc());
        while (floor.find()) {
            for (String pkg : floor.group(2).trim().split("\\s+")) {
                assertThat(floors.put(pkg, Integer.parseInt(floor.group(1)))).as(pkg + " on two floors").isNull();
            }
        }
        Set<String> packages = new TreeSet<>();
        List<String> upwards = new ArrayList<>();
        try (Stream<Path> dirs = Files.walk(MAIN)) {
            for (Path dir : dirs.filter(Files::isDirectory).filter(d -> !d.equals(MAIN)).toList()) {
                String pkg = MAIN.relativize(dir).toString().replace('/', '.');
                packages.add(pkg);
                try (Stream<Path> files = Files.list(dir)) {
                    for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                        Matcher used = IMPORT.matcher(Files.readString(file));
                        while (used.find()) {
                            String target = used.group(1);
                            if (!target.equals(pkg) && floors.containsKey(pkg) && floors.containsKey(target)
                                    && floors.get(target) >= floors.get(pkg)) {
                                upwards.add(MAIN.relativize(file) + " (floor " + floors.get(pkg) + ") uses " + target
                                        + " (floor " + floors.get(target) + ")");
                            }
                        }
                    }
                }
            }
        }
        assertThat(floors.keySet()).as("the packages of the picture").containsExactlyInAnyOrderElementsOf(packages);
        assertThat(upwards).as("imports that do not go down a floor").isEmpty();
    }

    @Test
    void everyFileClassAndMemberItNamesExists() throws IOException {
        List<String> missing = new ArrayList<>();
        Matcher code = CODE.matcher(doc());
        while (code.find()) {
            String text = code.group(1);
            if (FILE.matcher(text).matches() && text.contains("/") && !text.contains("<")) {
                Path path = text.startsWith("src/") || text.startsWith("docs/") || text.startsWith("examples/")
                        || text.startsWith("deploy/") ? ROOT.resolve(text) : MAIN.resolve(text);
                if (!Files.exists(path)) {
                    missing.add("file " + text);
                }
                continue;
            }
            Matcher member = MEMBER.matcher(text);
            if (member.find()) {
                Optional<Path> source = source(member.group(1));
                if (source.isEmpty()) {
                    missing.add("class " + member.group(1) + " (in " + text + ")");
                } else if (!Pattern.compile("\\b" + member.group(2) + "\\b").matcher(Files.readString(source.get())).find()) {
                    missing.add(member.group(1) + " has no " + member.group(2) + " (in " + text + ")");
                }
            } else if (CLASS.matcher(text).matches() && source(text).isEmpty()) {
                missing.add("class " + text);
            }
        }
        assertThat(missing).as("what docs/architecture.md names and the code does not have").isEmpty();
    }

    private static Optional<Path> source(String className) throws IOException {
        try (Stream<Path> files = Stream.concat(Files.walk(ROOT.resolve("src/main/java")),
                Files.walk(ROOT.resolve("src/test/java")))) {
            return files.filter(f -> f.getFileName().toString().equals(className + ".java")).findFirst();
        }
    }
}
