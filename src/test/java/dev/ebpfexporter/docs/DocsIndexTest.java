package dev.ebpfexporter.docs;

import dev.ebpfexporter.testing.BpfAvailability;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README is the way in: it links every page of docs/, its layout section names every package, and every
 * package says in its package-info.java what it owns and what it uses.
 */
class DocsIndexTest {
    private static final Path ROOT = BpfAvailability.projectRoot();
    private static final Path PACKAGES = ROOT.resolve("src/main/java/dev/ebpfexporter");

    @Test
    void readmeLinksEveryDoc() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"));
        List<String> unlinked = new ArrayList<>();
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            for (Path doc : docs.filter(d -> d.toString().endsWith(".md")).sorted().toList()) {
                if (!readme.contains("](docs/" + doc.getFileName() + ")")) {
                    unlinked.add(doc.getFileName().toString());
                }
            }
        }
        assertThat(unlinked).as("docs/ pages the README does not link").isEmpty();
    }

    @Test
    void readmeLayoutNamesEveryPackageAndEachHasItsPackageInfo() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"));
        int start = readme.indexOf("\n## Layout");
        String layout = readme.substring(start, readme.indexOf("\n## ", start + 1));
        List<String> unnamed = new ArrayList<>();
        List<String> undescribed = new ArrayList<>();
        try (Stream<Path> dirs = Files.walk(PACKAGES)) {
            for (Path dir : dirs.filter(Files::isDirectory).filter(d -> !d.equals(PACKAGES)).sorted().toList()) {
                String name = dir.getFileName() + "/";
                String indent = "  ".repeat(PACKAGES.relativize(dir).getNameCount());
                if (!layout.contains("\n" + indent + name)) {
                    unnamed.add(PACKAGES.relativize(dir).toString());
                }
                if (!Files.exists(dir.resolve("package-info.java"))) {
                    undescribed.add(PACKAGES.relativize(dir).toString());
                }
            }
        }
        assertThat(unnamed).as("packages README's layout section leaves out").isEmpty();
        assertThat(undescribed).as("packages without a package-info.java").isEmpty();
    }
}
