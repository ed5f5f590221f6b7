package dev.ebpfexporter.bcc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Tracepoint record types of the running kernel: {@code struct trace_event_raw_<event>} from vmlinux.h when it
 * exists and has the fields tracefs lists (CO-RE), else a struct generated from the tracefs format file.
 */
public final class KernelTracepointTypes implements TracepointTypes {
    private static final List<Path> TRACEFS = List.of(Path.of("/sys/kernel/tracing"), Path.of("/sys/kernel/debug/tracing"));

    private final Path vmlinuxHeader;
    private final List<Path> tracefsRoots;
    private String vmlinuxText;

    public KernelTracepointTypes(Path vmlinuxHeader) {
        this(vmlinuxHeader, TRACEFS);
    }

    public KernelTracepointTypes(Path vmlinuxHeader, List<Path> tracefsRoots) {
        this.vmlinuxHeader = vmlinuxHeader;
        this.tracefsRoots = List.copyOf(tracefsRoots);
    }

    @Override
    public TracepointType resolve(String category, String event) {
        TracepointFormat format = readFormat(category, event);
        String btfStruct = btfStructBody("trace_event_raw_" + event);
        if (btfStruct != null && (format == null || hasAllFields(btfStruct, format.eventFields()))) {
            return new TracepointType("struct trace_event_raw_" + event, "");
        }
        if (format == null) {
            throw new IllegalArgumentException("tracepoint " + category + ":" + event
                    + " not found (no trace_event_raw_" + event + " in the kernel's BTF and no tracefs format file)");
        }
        return new TracepointType(format.typeName(), format.definition());
    }

    private TracepointFormat readFormat(String category, String event) {
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
