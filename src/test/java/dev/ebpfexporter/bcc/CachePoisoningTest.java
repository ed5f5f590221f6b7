package dev.ebpfexporter.bcc;

import dev.ebpfexporter.btf.KernelBtf;
import dev.ebpfexporter.testing.LogCapture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The compile cache holds what root loads into the kernel: a directory or object another user
 * planted there must never be used. Runs as root, so it can plant files as uid 65534 (nobody).
 */
class CachePoisoningTest {
    private static final int NOBODY = 65534;

    @TempDir
    Path dir;

    private static void chown(Path path, int uid) throws Exception {
        Files.setAttribute(path, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
    }

    private static ProgramSource program(Path yaml, String code) {
        return new ProgramSource(yaml, "p", code, 8,
                List.of(new AttachPoint("tracepoint__timer__timer_start", "tp/timer/timer_start", 1)), List.of(), List.of());
    }

    private static String counter(String tag) {
        return "// " + tag + " " + System.nanoTime() + "\nBPF_HASH(counts);\n"
                + "TRACEPOINT_PROBE(timer, timer_start) {\n    counts.increment((u64) args->function);\n    return 0;\n}\n";
    }

    @Test
    void aCacheDirectoryOwnedByAnotherUserIsRefusedWithOneLine() throws Exception {
        Path cache = Files.createDirectory(dir.resolve("cache"));
        chown(cache, NOBODY);
        assertThatThrownBy(() -> ObjectCache.at(cache).dir())
                .hasMessage("compile cache directory " + cache + ": is owned by uid 65534, not by root");
    }

    @Test
    void aCacheDirectoryWritableByOthersIsRefused() throws Exception {
        Path cache = Files.createDirectory(dir.resolve("cache"));
        Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertThatThrownBy(() -> ObjectCache.at(cache).dir())
                .hasMessage("compile cache directory " + cache + ": is writable by others (mode 0777)");
    }

    @Test
    void aParentDirectoryOwnedByAnotherUserIsRefused() throws Exception {
        Path parent = Files.createDirectory(dir.resolve("parent"));
        chown(parent, NOBODY);
        Path cache = parent.resolve("cache");
        assertThatThrownBy(() -> ObjectCache.at(cache).dir())
                .hasMessage("compile cache directory " + cache + ": " + parent + " is owned by uid 65534, not by root");
    }

    @Test
    void aSymlinkedCacheDirectoryIsRefused() throws Exception {
        Path target = Files.createDirectory(dir.resolve("elsewhere"));
        Path cache = Files.createSymbolicLink(dir.resolve("cache"), target);
        assertThatThrownBy(() -> ObjectCache.at(cache).dir())
                .hasMessage("compile cache directory " + cache + ": is a symbolic link");
    }

    @Test
    void aNewCacheDirectoryIsCreatedPrivate() throws Exception {
        Path cache = dir.resolve("new/cache");
        assertThat(ObjectCache.at(cache).dir()).isEqualTo(cache);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cache))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cache.getParent()))).isEqualTo("rwx------");
    }

    @Test
    void theTempDirectoryFallbackNeverUsesAForeignDirectory() throws Exception {
        Path unwritable = Files.writeString(dir.resolve("plain-file"), "x").resolve("cache");
        Path tmp = Files.createDirectory(dir.resolve("tmp"));
        Files.setAttribute(tmp, "unix:mode", 01777);
        Path planted = Files.createDirectory(tmp.resolve("ebpf-exporter-bcc-0"));
        chown(planted, NOBODY);
        assertThatThrownBy(() -> ObjectCache.at(unwritable, tmp).dir())
                .hasMessage("compile cache directory " + planted + ": is owned by uid 65534, not by root");
    }

    @Test
    void theTempDirectoryFallbackIsPerUserAndPrivate() throws Exception {
        Path unwritable = Files.writeString(dir.resolve("plain-file"), "x").resolve("cache");
        Path tmp = Files.createDirectory(dir.resolve("tmp"));
        Files.setAttribute(tmp, "unix:mode", 01777);
        Path used = ObjectCache.at(unwritable, tmp).dir();
        assertThat(used).isEqualTo(tmp.resolve("ebpf-exporter-bcc-0"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(used))).isEqualTo("rwx------");
    }

    @Test
    void aReplacedCachedObjectIsNotLoadedButRecompiled() throws Exception {
        BccCompiler compiler = new BccCompiler(ClangToolchain.system(KernelBtf.SYSFS), ObjectCache.at(TestCompilers.cacheDir()));
        ProgramSource source = program(dir.resolve("p.yaml"), counter("replaced"));
        BccCompiler.Compiled first = compiler.compileDetailed(source);
        byte[] genuine = Files.readAllBytes(first.objectFile());
        // Another object with the same key's name: what a planted pwned_by_nobody program looks like.
        BccCompiler.Compiled other = compiler.compileDetailed(program(dir.resolve("q.yaml"), counter("other")));
        Files.copy(other.objectFile(), first.objectFile(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        try (LogCapture log = LogCapture.of(BccCompiler.class)) {
            BccCompiler.Compiled again = compiler.compileDetailed(source);
            assertThat(again.cached()).isFalse();
            assertThat(Files.readAllBytes(again.objectFile())).isEqualTo(genuine);
            assertThat(log.messages())
                    .contains("cached object " + first.objectFile() + " does not match its recorded SHA-256: recompiling");
        }
    }

    @Test
    void aCachedObjectOwnedByAnotherUserIsNotLoaded() throws Exception {
        BccCompiler compiler = new BccCompiler(ClangToolchain.system(KernelBtf.SYSFS), ObjectCache.at(TestCompilers.cacheDir()));
        ProgramSource source = program(dir.resolve("p.yaml"), counter("foreign"));
        BccCompiler.Compiled first = compiler.compileDetailed(source);
        chown(first.objectFile(), NOBODY);
        BccCompiler.Compiled again = compiler.compileDetailed(source);
        assertThat(again.cached()).isFalse();
        assertThat(Files.getAttribute(again.objectFile(), "unix:uid")).isEqualTo(0);
    }

    @Test
    void aPlantedVmlinuxHeaderIsNotCompiledIn() throws Exception {
        Path cache = Files.createDirectory(dir.resolve("cache"));
        ClangToolchain toolchain = ClangToolchain.system(KernelBtf.SYSFS);
        Path header = toolchain.vmlinuxHeaderDir(cache).resolve("vmlinux.h");
        Files.writeString(header, "#error planted header compiled in\n");
        chown(header, NOBODY);
        BccCompiler compiler = new BccCompiler(toolchain, ObjectCache.at(cache));
        BccCompiler.Compiled compiled = compiler.compileDetailed(program(dir.resolve("p.yaml"), counter("header")));
        assertThat(compiled.cached()).isFalse();
        assertThat(Files.readString(header)).doesNotContain("planted");
        assertThat(Files.getAttribute(header, "unix:uid")).isEqualTo(0);
    }
}
