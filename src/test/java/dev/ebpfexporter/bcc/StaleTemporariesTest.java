package dev.ebpfexporter.bcc;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** A kill -9 during a compile or a vmlinux.h dump leaves *.tmp files; the next run removes the old ones. */
class StaleTemporariesTest {
    @Test
    void removesOldTemporariesAndKeepsFreshOnesAndEverythingElse(@TempDir Path cache) throws Exception {
        Path vmlinux = Files.createDirectories(cache.resolve("vmlinux-0123456789abcdef"));
        Path staleObject = old(Files.writeString(cache.resolve("abc.12345.tmp"), "half an object"));
        Path staleHeader = old(Files.writeString(vmlinux.resolve("vmlinux.h.678.tmp"), "half a header"));
        Path fresh = Files.writeString(cache.resolve("def.999.tmp"), "being written now");
        Path object = old(Files.writeString(cache.resolve("abc.bpf.o"), "an object"));
        Path header = old(Files.writeString(vmlinux.resolve("vmlinux.h"), "a header"));

        assertThat(ObjectCache.removeStaleTemporaries(cache, Duration.ofMinutes(10))).isEqualTo(2);
        assertThat(staleObject).doesNotExist();
        assertThat(staleHeader).doesNotExist();
        assertThat(fresh).exists();
        assertThat(object).exists();
        assertThat(header).exists();
    }

    private static Path old(Path file) throws Exception {
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minus(Duration.ofHours(1))));
        return file;
    }
}
