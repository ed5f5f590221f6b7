package dev.ebpfexporter.build;

import dev.ebpfexporter.bpf.sys.LibBpf;
import dev.ebpfexporter.bpf.sys.NativeLibraries;
import dev.ebpfexporter.testing.TestTools;
import dev.ebpfexporter.testing.Workloads;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What scripts/libbpf.sh makes runs on Debian 11's userland: libbpf.so.1.5.0 and the libelf.so.1 beside it
 * need no glibc symbol newer than Debian 11's 2.31 (compiled against a bullseye sysroot: glibc 2.33+ headers
 * would bind stat/fstat to GLIBC_2.33), libbpf needs only libc and that libelf (found through RUNPATH
 * $ORIGIN; zlib is linked in), and libelf only libc and zlib, which every Debian root has.
 */
class LibbpfBinaryTest {
    /** Debian 11 (bullseye) has glibc 2.31. */
    private static final List<Integer> OLDEST_GLIBC = List.of(2, 31);
    private static final Pattern GLIBC = Pattern.compile("GLIBC_(\\d+)\\.(\\d+)(?:\\.(\\d+))?");
    private static final Pattern NEEDED = Pattern.compile("\\(NEEDED\\)\\s+Shared library: \\[([^]]+)]");

    private static Path nativeDir() {
        return NativeLibraries.find(LibBpf.LIBRARY).orElseThrow(() -> new AssertionError(NativeLibraries.missing(
                LibBpf.LIBRARY))).getParent();
    }

    @Test
    void libbpfNeedsOnlyLibcAndTheLibelfBesideIt() throws Exception {
        TestTools.require("readelf", "binutils");
        String dynamic = Workloads.runOk("readelf", "-d", nativeDir().resolve("libbpf.so.1.5.0").toString()).output();
        assertThat(needed(dynamic)).containsExactlyInAnyOrder("libelf.so.1", "libc.so.6");
        assertThat(dynamic).contains("Library soname: [libbpf.so.1]").contains("Library runpath: [$ORIGIN]");
        assertThat(needed(Workloads.runOk("readelf", "-d", nativeDir().resolve("libelf.so.1").toString()).output()))
                .isSubsetOf("libz.so.1", "libc.so.6", "ld-linux-x86-64.so.2", "ld-linux-aarch64.so.1");
    }

    @Test
    void neitherNeedsAGlibcNewerThanDebian11s() throws Exception {
        TestTools.require("objdump", "binutils");
        for (String file : List.of("libbpf.so.1.5.0", "libelf.so.1")) {
            String symbols = Workloads.runOk("objdump", "-T", nativeDir().resolve(file).toString()).output();
            List<Integer> newest = newestGlibc(symbols);
            assertThat(newest).as(file + " has GLIBC_ versioned symbols").isNotEmpty();
            assertThat(compare(newest, OLDEST_GLIBC)).as(file + " needs GLIBC_" + newest).isLessThanOrEqualTo(0);
        }
    }

    @Test
    void theNewestGlibcVersionIsFoundAmongMany() {
        String symbols = """
                0000000000000000      DF *UND*  0000000000000000 (GLIBC_2.2.5) free
                0000000000000000      DF *UND*  0000000000000000 (GLIBC_2.33) fstat
                0000000000000000      DF *UND*  0000000000000000 (GLIBC_2.28) fcntl64
                """;
        assertThat(newestGlibc(symbols)).containsExactly(2, 33);
        assertThat(compare(newestGlibc(symbols), OLDEST_GLIBC)).isPositive();
    }

    static List<Integer> newestGlibc(String objdump) {
        Matcher m = GLIBC.matcher(objdump);
        List<List<Integer>> versions = new ArrayList<>();
        while (m.find()) {
            versions.add(List.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                    m.group(3) == null ? 0 : Integer.parseInt(m.group(3))));
        }
        return versions.stream().max(LibbpfBinaryTest::compare).map(v -> v.subList(0, v.get(2) == 0 ? 2 : 3))
                .orElse(List.of());
    }

    private static int compare(List<Integer> a, List<Integer> b) {
        for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
            int c = Integer.compare(i < a.size() ? a.get(i) : 0, i < b.size() ? b.get(i) : 0);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    private static List<String> needed(String readelf) {
        Matcher m = NEEDED.matcher(readelf);
        List<String> libraries = new ArrayList<>();
        while (m.find()) {
            libraries.add(m.group(1));
        }
        return libraries;
    }
}
