package dev.ebpfexporter.bcc;

import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Tracepoint record types of the running kernel: {@code struct trace_event_raw_<event>} from vmlinux.h when it
 * exists and has the fields tracefs lists (CO-RE), else a struct generated from the tracefs format file.
 * When no tracefs is mounted, it is mounted once (which needs root); if that fails, the error says how.
 */
public final class KernelTracepointTypes implements TracepointTypes {
    static final Path MOUNT_POINT = Path.of("/sys/kernel/tracing");
    private static final List<Path> TRACEFS = List.of(MOUNT_POINT, Path.of("/sys/kernel/debug/tracing"));

    /** Mounts tracefs; returns why it could not, or empty when it is mounted. */
    public interface Mounter {
        Optional<String> mount();
    }

    private final Path vmlinuxHeader;
    private final List<Path> tracefsRoots;
    private final Mounter mounter;
    private String vmlinuxText;
    private Optional<String> mountFailure;

    public KernelTracepointTypes(Path vmlinuxHeader) {
        this(vmlinuxHeader, TRACEFS, KernelTracepointTypes::mountTracefs);
    }

    public KernelTracepointTypes(Path vmlinuxHeader, List<Path> tracefsRoots, Mounter mounter) {
        this.vmlinuxHeader = vmlinuxHeader;
        this.tracefsRoots = List.copyOf(tracefsRoots);
        this.mounter = mounter;
    }

    /** {@code mount -t tracefs tracefs /sys/kernel/tracing}, as a process like clang and bpftool. */
    private static Optional<String> mountTracefs() {
        try {
            ProcessRunner.Result result = ProcessRunner.run(List.of("mount", "-t", "tracefs", "tracefs",
                    MOUNT_POINT.toString()), null);
            if (result.exitCode() != 0) {
                return Optional.of("mount -t tracefs: " + result.stderr().strip());
            }
            LoggerFactory.getLogger(KernelTracepointTypes.class).info(
                    "mounted tracefs at {} (inline tracepoints read their format files there)", MOUNT_POINT);
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of("mount: " + e.getMessage()); // the reason, for the caller's one-line error
        }
    }

    @Override
    public TracepointType resolve(String category, String event) {
        TracepointFormat format = readFormat(category, event);
        String btfStruct = btfStructBody("trace_event_raw_" + event);
        if (btfStruct != null && (format == null || hasAllFields(btfStruct, format.eventFields()))) {
            return new TracepointType("struct trace_event_raw_" + event, "");
        }
        if (format == null && mountFailure != null && mountFailure.isPresent()) {
            throw new IllegalArgumentException("tracepoint " + category + ":" + event + " not found: no trace_event_raw_"
                    + event + " in the kernel's BTF, and tracefs is not mounted (" + mountFailure.get()
                    + "); mount it with: mount -t tracefs tracefs " + MOUNT_POINT);
        }
        if (format == null) {
            throw new IllegalArgumentException("tracepoint " + category + ":" + event
                    + " not found (no trace_event_raw_" + event + " in the kernel's BTF and no tracefs format file)");
        }
        return new TracepointType(format.typeName(), format.definition());
    }

    private synchronized void mountOnce() {
        if (mountFailure == null) {
            mountFailure = tracefsRoots.stream().anyMatch(root -> Files.isDirectory(root.resolve("events")))
                    ? Optional.empty() : mounter.mount();
        }
    }

    private TracepointFormat readFormat(String category, String event) {
        mountOnce();
        for (Path root : tracefsRoots) {
            Path file = root.resolve("events").resolve(category).resolve(event).resolve("format");
            try {
                if (Files.isReadable(file)) {
                    return TracepointFormat.parse(category, event, Files.readString(file));
                }
            } catch (IOException e) {
                // try the next mount point
            }
        }
        return null;
    }

    private synchronized String btfStructBody(String structName) {
        if (vmlinuxText == null) {
            try {
                vmlinuxText = Files.readString(vmlinuxHeader);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        int start = vmlinuxText.indexOf("\nstruct " + structName + " {\n");
        if (start < 0) {
            return null;
        }
        int end = vmlinuxText.indexOf("\n};", start);
        return vmlinuxText.substring(start, end < 0 ? vmlinuxText.length() : end);
    }

    private static boolean hasAllFields(String body, List<TracepointFormat.Field> fields) {
        for (TracepointFormat.Field field : fields) {
            if (field.dataLoc()) {
                // BTF names it __data_loc_<name>, BCC code says data_loc_<name>: keep BCC's names.
                return false;
            }
            String name = field.name();
            if (!body.matches("(?s).*[\\s*]" + name + "(\\[\\d*])?;.*")) {
                return false;
            }
        }
        return true;
    }
}
