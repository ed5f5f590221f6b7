package dev.ebpfexporter.bpf;

import dev.ebpfexporter.bpf.link.AttachKinds;
import dev.ebpfexporter.bpf.link.BpfLink;
import dev.ebpfexporter.bpf.sys.BpfException;
import dev.ebpfexporter.bpf.sys.Cpus;
import dev.ebpfexporter.testing.BpfAvailability;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Closing an object while others use it: operations in flight finish first, later ones fail with
 * "object closed" instead of reaching freed libbpf memory, and perf event fds are closed exactly once.
 */
class ObjectLifetimeTest {
    @BeforeEach
    void needsBpf() {
        BpfAvailability.require();
    }

    private static BpfObject loaded(String example) throws BpfException {
        BpfObject object = BpfObject.open(BpfAvailability.examples().resolve(example), Optional.empty(), AttachKinds.sectionTypes());
        object.load();
        return object;
    }

    @Test
    void operationsAfterCloseFailInsteadOfTouchingFreedMemory() throws Exception {
        BpfObject object = loaded("timers.bpf.o");
        BpfMap map = object.map("timer_starts_total").orElseThrow();
        BpfProgram program = object.programs().getFirst();
        int fd = map.fd();
        assertThat(fd).isPositive();
        object.close();
        assertThat(map.fd()).as("fd read at load, no libbpf call").isEqualTo(fd);
        assertThatThrownBy(map::readAll).isInstanceOf(BpfException.class)
                .hasMessage("timers.bpf.o: map timer_starts_total: object closed");
        assertThatThrownBy(() -> map.lookup(new byte[map.keySize()]))
                .hasMessage("timers.bpf.o: map timer_starts_total: object closed");
        assertThatThrownBy(program::info).hasMessage("timers.bpf.o: program " + program.name() + ": object closed");
        object.close(); // twice is fine
    }

    @Test
    @Timeout(60)
    void closeWaitsForReadsInFlightAndLaterReadsFail() throws Exception {
        BpfObject object = loaded("timers.bpf.o");
        BpfMap map = object.map("timer_starts_total").orElseThrow();
        for (long key = 0; key < 1000; key++) {
            map.update(ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(key).array(),
                    new byte[map.valueStride()], 0);
        }
        List<Throwable> unexpected = new CopyOnWriteArrayList<>();
        AtomicInteger reads = new AtomicInteger();
        List<Thread> readers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            readers.add(Thread.ofPlatform().start(() -> {
                while (true) {
                    try {
                        assertThat(map.readAll().count()).isGreaterThanOrEqualTo(1000);
                        reads.incrementAndGet();
                    } catch (BpfException e) {
                        if (!e.getMessage().endsWith("object closed")) {
                            unexpected.add(e);
                        }
                        return;
                    } catch (Throwable t) {
                        unexpected.add(t);
                        return;
                    }
                }
            }));
        }
        while (reads.get() < 20) {
            Thread.sleep(5);
        }
        object.close();
        for (Thread reader : readers) {
            reader.join();
        }
        assertThat(unexpected).isEmpty();
    }

    /**
     * libbpf's perf-event detach closes the perf event fd; a second close by us would close whatever
     * the number meant by then. Another thread keeps opening and reading files meanwhile: a file
     * whose fd is closed under it fails its read.
     */
    @Test
    @Timeout(120)
    void perfEventFdsAreClosedOnceAndOtherFilesSurvive(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("probe"), "ebpf");
        AtomicBoolean running = new AtomicBoolean(true);
        List<Throwable> broken = new CopyOnWriteArrayList<>();
        Thread prober = Thread.ofPlatform().start(() -> {
            ByteBuffer buffer = ByteBuffer.allocate(4);
            while (running.get()) {
                try (FileChannel channel = FileChannel.open(file)) {
                    for (int i = 0; i < 50; i++) {
                        buffer.clear();
                        channel.read(buffer, 0);
                        if (!new String(buffer.array()).equals("ebpf")) {
                            broken.add(new IllegalStateException("read other data: " + new String(buffer.array())));
                        }
                    }
                } catch (IOException e) {
                    broken.add(e);
                }
            }
        });
        try {
            for (int cycle = 0; cycle < 20; cycle++) {
                try (BpfObject object = loaded("cpu-profile.bpf.o")) {
                    BpfLink link = AttachKinds.attach(object.programs().getFirst());
                    assertThat(perfEventFds()).isGreaterThanOrEqualTo(Cpus.online().size());
                    link.close();
                }
            }
        } finally {
            running.set(false);
            prober.join();
        }
        assertThat(broken).isEmpty();
        assertThat(perfEventFds()).isZero();
    }

    private static long perfEventFds() throws IOException {
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString().equals("anon_inode:[perf_event]");
                } catch (IOException e) {
                    return false;
                }
            }).count();
        }
    }
}
