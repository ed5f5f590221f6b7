package dev.ebpfexporter.bpf.link;

import dev.ebpfexporter.bpf.sys.BpfException;
import dev.ebpfexporter.bpf.sys.Downcall;
import dev.ebpfexporter.bpf.sys.LibBpf;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * libbpf attaches {@code tp/} and {@code tracepoint/} programs through tracefs
 * ({@code /sys/kernel/tracing/events/<cat>/<event>/id}); some machines do not mount it at boot.
 */
public final class TraceFs {
    private static final Logger LOG = LoggerFactory.getLogger(TraceFs.class);
    public static final Path MOUNT_POINT = Path.of("/sys/kernel/tracing");
    private static final MethodHandle MOUNT = LibBpf.LINKER.downcallHandle(
            LibBpf.LINKER.defaultLookup().find("mount").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS),
            java.lang.foreign.Linker.Option.captureCallState("errno"));

    private TraceFs() {
    }

    /** Whether a program in {@code section} attaches through tracefs. */
    public static boolean needed(String section) {
        return AttachKinds.of(section).tracefs();
    }

    /** Mounts tracefs at /sys/kernel/tracing unless its events are already there. */
    public static synchronized void ensureMounted() throws BpfException {
        if (Files.isDirectory(MOUNT_POINT.resolve("events"))) {
            return;
        }
        try (Arena call = Arena.ofConfined()) {
            MemorySegment state = call.allocate(LibBpf.CALL_STATE);
            MemorySegment fs = call.allocateFrom("tracefs");
            int result = (int) MOUNT.invokeExact(state, fs, call.allocateFrom(MOUNT_POINT.toString()), fs, 0L,
                    MemorySegment.NULL);
            if (result != 0) {
                throw BpfException.of("tracefs", "not mounted, and mounting it at " + MOUNT_POINT
                        + " failed (tp/ and tracepoint/ programs need it; as root: mount -t tracefs tracefs " + MOUNT_POINT
                        + ")", LibBpf.errno(state));
            }
            LOG.info("mounted tracefs at {} (tp/ and tracepoint/ programs attach through it)", MOUNT_POINT);
        } catch (BpfException e) {
            throw e;
        } catch (Throwable t) {
            throw Downcall.failed("tracefs", "mount at " + MOUNT_POINT, t);
        }
    }

}
