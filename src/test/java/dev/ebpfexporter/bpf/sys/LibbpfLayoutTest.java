package dev.ebpfexporter.bpf.sys;

import dev.ebpfexporter.testing.TestTools;
import dev.ebpfexporter.testing.Workloads;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every struct size and offset {@link LibBpf} writes by hand is what libbpf 1.5's own headers (installed by
 * the build into target/libbpf/include with the UAPI headers they were written against) say: a C program
 * compiled against them prints each, and the test compares. libbpf checks {@code sz} and refuses bytes past
 * the size it knows, so a stale layout is an error at run time, not a silent one.
 */
class LibbpfLayoutTest {
    /** Each constant of LibBpf, and the C expression that gives its value. */
    private static final Map<String, Long> JAVA = new LinkedHashMap<>();
    private static final Map<String, String> C = new LinkedHashMap<>();

    private static void pin(String name, long java, String c) {
        JAVA.put(name, java);
        C.put(name, c);
    }

    static {
        pin("OPEN_OPTS_SIZE", LibBpf.OPEN_OPTS_SIZE, "sizeof(struct bpf_object_open_opts)");
        pin("OPEN_OPTS_OBJECT_NAME", LibBpf.OPEN_OPTS_OBJECT_NAME, "offsetof(struct bpf_object_open_opts, object_name)");
        pin("OPEN_OPTS_BTF_CUSTOM_PATH", LibBpf.OPEN_OPTS_BTF_CUSTOM_PATH,
                "offsetof(struct bpf_object_open_opts, btf_custom_path)");
        pin("BATCH_OPTS_SIZE", LibBpf.BATCH_OPTS_SIZE, "sizeof(struct bpf_map_batch_opts)");
        pin("PROG_HANDLER_OPTS_SIZE", LibBpf.PROG_HANDLER_OPTS_SIZE, "sizeof(struct libbpf_prog_handler_opts)");
        pin("UPROBE_OPTS_SIZE", LibBpf.UPROBE_OPTS_SIZE, "sizeof(struct bpf_uprobe_opts)");
        pin("UPROBE_OPTS_RETPROBE", LibBpf.UPROBE_OPTS_RETPROBE, "offsetof(struct bpf_uprobe_opts, retprobe)");
        pin("UPROBE_OPTS_FUNC_NAME", LibBpf.UPROBE_OPTS_FUNC_NAME, "offsetof(struct bpf_uprobe_opts, func_name)");
        pin("PROG_INFO_SIZE", LibBpf.PROG_INFO_SIZE, "sizeof(struct bpf_prog_info)");
        pin("PROG_INFO_ID", LibBpf.PROG_INFO_ID, "offsetof(struct bpf_prog_info, id)");
        pin("PROG_INFO_TAG", LibBpf.PROG_INFO_TAG, "offsetof(struct bpf_prog_info, tag)");
        pin("PROG_INFO_RUN_TIME_NS", LibBpf.PROG_INFO_RUN_TIME_NS, "offsetof(struct bpf_prog_info, run_time_ns)");
        pin("PROG_INFO_RUN_CNT", LibBpf.PROG_INFO_RUN_CNT, "offsetof(struct bpf_prog_info, run_cnt)");
        pin("MAP_INFO_SIZE", LibBpf.MAP_INFO_SIZE, "sizeof(struct bpf_map_info)");
        pin("MAP_INFO_TYPE", LibBpf.MAP_INFO_TYPE, "offsetof(struct bpf_map_info, type)");
        pin("MAP_INFO_ID", LibBpf.MAP_INFO_ID, "offsetof(struct bpf_map_info, id)");
        pin("MAP_INFO_KEY_SIZE", LibBpf.MAP_INFO_KEY_SIZE, "offsetof(struct bpf_map_info, key_size)");
        pin("MAP_INFO_VALUE_SIZE", LibBpf.MAP_INFO_VALUE_SIZE, "offsetof(struct bpf_map_info, value_size)");
        pin("MAP_INFO_MAX_ENTRIES", LibBpf.MAP_INFO_MAX_ENTRIES, "offsetof(struct bpf_map_info, max_entries)");
        pin("MAP_INFO_FLAGS", LibBpf.MAP_INFO_FLAGS, "offsetof(struct bpf_map_info, map_flags)");
        pin("BPF_TAG_SIZE", LibBpf.BPF_TAG_SIZE, "BPF_TAG_SIZE");
        pin("BPF_PROG_TYPE_PERF_EVENT", LibBpf.BPF_PROG_TYPE_PERF_EVENT, "BPF_PROG_TYPE_PERF_EVENT");
        pin("BPF_PERF_EVENT", LibBpf.BPF_PERF_EVENT, "BPF_PERF_EVENT");
        pin("BPF_PROG_TYPE_XDP", LibBpf.BPF_PROG_TYPE_XDP, "BPF_PROG_TYPE_XDP");
        pin("BPF_XDP", LibBpf.BPF_XDP, "BPF_XDP");
        pin("BTF_KIND_VAR", LibBpf.BTF_KIND_VAR, "BTF_KIND_VAR");
        pin("BTF_KIND_DATASEC", LibBpf.BTF_KIND_DATASEC, "BTF_KIND_DATASEC");
    }

    @TempDir
    Path dir;

    @Test
    void everyHandWrittenLayoutMatchesLibbpf150sHeaders() throws Exception {
        TestTools.require("cc", "gcc");
        Path include = NativeLibraries.find(LibBpf.LIBRARY).orElseThrow().getParent().resolveSibling("libbpf")
                .resolve("include");
        assertThat(include.resolve("bpf/libbpf_version.h")).content()
                .contains("#define LIBBPF_MAJOR_VERSION 1").contains("#define LIBBPF_MINOR_VERSION 5");
        StringBuilder program = new StringBuilder("#include <stdio.h>\n#include <stddef.h>\n#include <bpf/libbpf.h>\n"
                + "#include <bpf/bpf.h>\n#include <linux/btf.h>\nint main(void) {\n");
        C.forEach((name, expression) -> program.append("  printf(\"%s=%lld\\n\", \"").append(name).append("\", (long long) (")
                .append(expression).append("));\n"));
        program.append("  return 0;\n}\n");
        Path source = Files.writeString(dir.resolve("layout.c"), program);
        Path binary = dir.resolve("layout");
        Workloads.runOk("cc", "-I" + include, "-o", binary.toString(), source.toString());
        Map<String, Long> headers = new LinkedHashMap<>();
        for (String line : Workloads.runOk(binary.toString()).output().split("\n")) {
            String[] parts = line.split("=", 2);
            headers.put(parts[0], Long.parseLong(parts[1]));
        }
        assertThat(JAVA).isEqualTo(headers);
    }
}
