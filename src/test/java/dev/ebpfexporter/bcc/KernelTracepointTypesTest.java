package dev.ebpfexporter.bcc;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KernelTracepointTypesTest {
    @TempDir
    Path dir;

    private static final String FORMAT = """
            name: block_rq_issue
            ID: 2104
            format:
            \tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;
            \tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;

            \tfield:dev_t dev;\toffset:8;\tsize:4;\tsigned:0;
            \tfield:sector_t sector;\toffset:16;\tsize:8;\tsigned:0;
            \tfield:char rwbs[10];\toffset:24;\tsize:10;\tsigned:0;
            \tfield:void * ptr;\toffset:40;\tsize:8;\tsigned:0;
            \tfield:__data_loc char[] cmd;\toffset:48;\tsize:4;\tsigned:0;
            """;

    private KernelTracepointTypes types(String vmlinux) throws Exception {
        Path header = Files.writeString(dir.resolve("vmlinux.h"), vmlinux);
        Path format = dir.resolve("tracing/events/block/block_rq_issue/format");
        Files.createDirectories(format.getParent());
        Files.writeString(format, FORMAT);
        Path timer = dir.resolve("tracing/events/timer/timer_start/format");
        Files.createDirectories(timer.getParent());
        Files.writeString(timer, "format:\n\tfield:void * function;\toffset:16;\tsize:8;\tsigned:0;\n");
        return new KernelTracepointTypes(header, List.of(dir.resolve("tracing")), () -> {
            throw new AssertionError("tracefs is there: no mount");
        });
    }

    @Test
    void btfTypeIsPreferredWhenItHasTheFields() throws Exception {
        KernelTracepointTypes t = types("\nstruct trace_event_raw_timer_start {\n\tstruct trace_entry ent;\n\tvoid *function;\n};\n");
        assertThat(t.resolve("timer", "timer_start")).isEqualTo(new TracepointType("struct trace_event_raw_timer_start", ""));
    }

    @Test
    void eventsOfASharedClassGetAStructFromTheFormatFile() throws Exception {
        TracepointType type = types("\nstruct trace_event_raw_block_rq {\n\tu32 dev;\n};\n").resolve("block", "block_rq_issue");
        assertThat(type.typeName()).isEqualTo("struct bcc_tp__block__block_rq_issue");
        assertThat(type.definition())
                .contains("    u16 common_type;\n    char __bcc_pad0[2];\n    s32 common_pid;\n")
                .contains("    u32 dev;\n    char __bcc_pad1[4];\n    u64 sector;\n    char rwbs[10];\n")
                .contains("    void * ptr;\n    u32 data_loc_cmd;\n")
                .contains("_Static_assert(__builtin_offsetof(struct bcc_tp__block__block_rq_issue, ptr) == 40");
    }

    @Test
    void withoutTracefsItIsMountedOnceAndTheFormatFileRead() throws Exception {
        Path header = Files.writeString(dir.resolve("vmlinux.h"), "");
        Path root = dir.resolve("unmounted");
        int[] mounts = {0};
        KernelTracepointTypes types = new KernelTracepointTypes(header, List.of(root), () -> {
            mounts[0]++;
            try {
                Path format = root.resolve("events/timer/timer_start/format");
                Files.createDirectories(format.getParent());
                Files.writeString(format, "format:\n\tfield:void * function;\toffset:16;\tsize:8;\tsigned:0;\n");
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return java.util.Optional.empty();
        });
        assertThat(types.resolve("timer", "timer_start").typeName()).isEqualTo("struct bcc_tp__timer__timer_start");
        types.resolve("timer", "timer_start");
        assertThat(mounts[0]).isEqualTo(1);
    }

    @Test
    void withoutTracefsAndNoWayToMountItTheErrorSaysHow() throws Exception {
        Path header = Files.writeString(dir.resolve("vmlinux.h"), "");
        KernelTracepointTypes types = new KernelTracepointTypes(header, List.of(dir.resolve("unmounted")),
                () -> java.util.Optional.of("tracefs: not mounted, and mounting it failed: Operation not permitted (errno 1)"));
        assertThatThrownBy(() -> types.resolve("syscalls", "sys_exit_read")).hasMessage("tracepoint syscalls:sys_exit_read"
                + " not found: no trace_event_raw_sys_exit_read in the kernel's BTF, and tracefs is not mounted (tracefs:"
                + " not mounted, and mounting it failed: Operation not permitted (errno 1)); mount it with:"
                + " mount -t tracefs tracefs /sys/kernel/tracing");
    }

    @Test
    void unknownTracepointsSaySo() throws Exception {
        assertThatThrownBy(() -> types("").resolve("nope", "nothing"))
                .hasMessageContaining("tracepoint nope:nothing not found");
    }
}
