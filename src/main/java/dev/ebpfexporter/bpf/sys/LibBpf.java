package dev.ebpfexporter.bpf.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.io.IOException;
import java.nio.file.Path;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The downcalls into our own {@code libbpf.so.1} (libbpf 1.5.0, built by scripts/libbpf.sh and found by
 * {@link NativeLibraries}; never the host's), and the few libc calls they need, written by hand for exactly
 * what we use. int-returning libbpf calls return {@code -errno}; calls that return a pointer report failure
 * as NULL with {@code errno} set, so those capture errno. The opts structs below are laid out as libbpf 1.5's
 * headers declare them ({@code LibbpfLayoutTest} compiles those headers and compares).
 */
public final class LibBpf {
    /** The file name the build gives our libbpf (a link to {@code libbpf.so.1.5.0} beside it). */
    public static final String LIBRARY = "libbpf.so.1";
    public static final Linker LINKER = Linker.nativeLinker();
    private static final Path FILE = NativeLibraries.find(LIBRARY)
            .orElseThrow(() -> new IllegalStateException(NativeLibraries.missing(LIBRARY)));
    private static final SymbolLookup LIBBPF = SymbolLookup.libraryLookup(FILE, Arena.global());
    private static final SymbolLookup LIBC = LINKER.defaultLookup();

    public static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    public static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

    // struct bpf_object_open_opts (libbpf 1.5): sz, object_name, relaxed_maps, pin_root_path, (u32 stub),
    // kconfig, btf_custom_path, kernel_log_buf, kernel_log_size, kernel_log_level, bpf_token_path (1.3+).
    public static final long OPEN_OPTS_SIZE = 88;
    public static final long OPEN_OPTS_OBJECT_NAME = 8;
    public static final long OPEN_OPTS_BTF_CUSTOM_PATH = 48;
    // struct bpf_map_batch_opts: sz, elem_flags, flags.
    public static final long BATCH_OPTS_SIZE = 24;
    // struct bpf_prog_info offsets from <linux/bpf.h>.
    public static final long PROG_INFO_SIZE = 232;
    public static final long PROG_INFO_ID = 4;
    public static final long PROG_INFO_TAG = 8;
    public static final long PROG_INFO_RUN_TIME_NS = 192;
    public static final long PROG_INFO_RUN_CNT = 200;
    public static final int BPF_TAG_SIZE = 8;

    public static final MethodHandle OBJECT_OPEN_MEM =
            downcallErrno("bpf_object__open_mem", ADDRESS, ADDRESS, JAVA_LONG, ADDRESS);
    public static final MethodHandle OBJECT_LOAD = downcall("bpf_object__load", JAVA_INT, ADDRESS);
    public static final MethodHandle OBJECT_CLOSE = downcallVoid("bpf_object__close", ADDRESS);
    public static final MethodHandle OBJECT_NEXT_PROGRAM = downcall("bpf_object__next_program", ADDRESS, ADDRESS, ADDRESS);
    public static final MethodHandle OBJECT_NEXT_MAP = downcall("bpf_object__next_map", ADDRESS, ADDRESS, ADDRESS);

    public static final MethodHandle PROGRAM_NAME = downcall("bpf_program__name", ADDRESS, ADDRESS);
    public static final MethodHandle PROGRAM_SECTION_NAME = downcall("bpf_program__section_name", ADDRESS, ADDRESS);
    public static final MethodHandle PROGRAM_FD = downcall("bpf_program__fd", JAVA_INT, ADDRESS);
    public static final MethodHandle PROGRAM_ATTACH = downcallErrno("bpf_program__attach", ADDRESS, ADDRESS);
    public static final MethodHandle PROGRAM_ATTACH_PERF_EVENT =
            downcallErrno("bpf_program__attach_perf_event", ADDRESS, ADDRESS, JAVA_INT);
    public static final MethodHandle PROGRAM_SET_AUTOLOAD = downcall("bpf_program__set_autoload", JAVA_INT, ADDRESS, ValueLayout.JAVA_BOOLEAN);
    public static final MethodHandle LINK_DESTROY = downcall("bpf_link__destroy", JAVA_INT, ADDRESS);

    public static final MethodHandle MAP_NAME = downcall("bpf_map__name", ADDRESS, ADDRESS);
    public static final MethodHandle MAP_FD = downcall("bpf_map__fd", JAVA_INT, ADDRESS);
    public static final MethodHandle MAP_TYPE = downcall("bpf_map__type", JAVA_INT, ADDRESS);
    public static final MethodHandle MAP_KEY_SIZE = downcall("bpf_map__key_size", JAVA_INT, ADDRESS);
    public static final MethodHandle MAP_VALUE_SIZE = downcall("bpf_map__value_size", JAVA_INT, ADDRESS);
    public static final MethodHandle MAP_MAX_ENTRIES = downcall("bpf_map__max_entries", JAVA_INT, ADDRESS);
    public static final MethodHandle MAP_INITIAL_VALUE = downcall("bpf_map__initial_value", ADDRESS, ADDRESS, ADDRESS);
    public static final MethodHandle MAP_FLAGS = downcall("bpf_map__map_flags", JAVA_INT, ADDRESS);
    public static final MethodHandle MAP_PIN_PATH = downcall("bpf_map__pin_path", ADDRESS, ADDRESS);
    public static final MethodHandle MAP_REUSE_FD = downcall("bpf_map__reuse_fd", JAVA_INT, ADDRESS, JAVA_INT);

    // ---- pinned maps on bpffs ----
    public static final MethodHandle OBJ_GET = downcall("bpf_obj_get", JAVA_INT, ADDRESS);
    public static final MethodHandle OBJ_PIN = downcall("bpf_obj_pin", JAVA_INT, JAVA_INT, ADDRESS);
    // struct bpf_map_info offsets from <linux/bpf.h>: type, id, key_size, value_size, max_entries, map_flags.
    public static final long MAP_INFO_SIZE = 88;
    public static final long MAP_INFO_TYPE = 0;
    public static final long MAP_INFO_ID = 4;
    public static final long MAP_INFO_KEY_SIZE = 8;
    public static final long MAP_INFO_VALUE_SIZE = 12;
    public static final long MAP_INFO_MAX_ENTRIES = 16;
    public static final long MAP_INFO_FLAGS = 20;

    public static final MethodHandle MAP_LOOKUP_ELEM = downcall("bpf_map_lookup_elem", JAVA_INT, JAVA_INT, ADDRESS, ADDRESS);
    public static final MethodHandle MAP_UPDATE_ELEM =
            downcall("bpf_map_update_elem", JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG);
    public static final MethodHandle MAP_DELETE_ELEM = downcall("bpf_map_delete_elem", JAVA_INT, JAVA_INT, ADDRESS);
    public static final MethodHandle MAP_GET_NEXT_KEY = downcall("bpf_map_get_next_key", JAVA_INT, JAVA_INT, ADDRESS, ADDRESS);
    public static final MethodHandle MAP_LOOKUP_BATCH = downcall("bpf_map_lookup_batch", JAVA_INT,
            JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS);
    public static final MethodHandle OBJ_GET_INFO_BY_FD = downcall("bpf_obj_get_info_by_fd", JAVA_INT, JAVA_INT, ADDRESS, ADDRESS);
    public static final MethodHandle REGISTER_PROG_HANDLER = downcall("libbpf_register_prog_handler", JAVA_INT,
            ADDRESS, JAVA_INT, JAVA_INT, ADDRESS);
    // struct libbpf_prog_handler_opts: sz, cookie, prog_setup_fn, prog_prepare_load_fn, prog_attach_fn.
    public static final long PROG_HANDLER_OPTS_SIZE = 40;
    public static final int BPF_PROG_TYPE_PERF_EVENT = 7;
    public static final int BPF_PERF_EVENT = 41;
    public static final MethodHandle ENABLE_STATS = downcall("bpf_enable_stats", JAVA_INT, JAVA_INT);
    public static final MethodHandle NUM_POSSIBLE_CPUS = downcall("libbpf_num_possible_cpus", JAVA_INT);
    public static final MethodHandle SET_PRINT = downcall("libbpf_set_print", ADDRESS, ADDRESS);

    public static final MethodHandle PERF_BUFFER_NEW = downcallErrno("perf_buffer__new", ADDRESS,
            JAVA_INT, JAVA_LONG, ADDRESS, ADDRESS, ADDRESS, ADDRESS);
    public static final MethodHandle PERF_BUFFER_POLL = downcall("perf_buffer__poll", JAVA_INT, ADDRESS, JAVA_INT);
    public static final MethodHandle PERF_BUFFER_FREE = downcallVoid("perf_buffer__free", ADDRESS);
    public static final MethodHandle RING_BUFFER_NEW = downcallErrno("ring_buffer__new", ADDRESS, JAVA_INT, ADDRESS, ADDRESS, ADDRESS);
    public static final MethodHandle RING_BUFFER_POLL = downcall("ring_buffer__poll", JAVA_INT, ADDRESS, JAVA_INT);
    public static final MethodHandle RING_BUFFER_FREE = downcallVoid("ring_buffer__free", ADDRESS);

    public static final MethodHandle LIBBPF_STRERROR = downcall("libbpf_strerror", JAVA_INT, JAVA_INT, ADDRESS, JAVA_LONG);
    public static final MethodHandle STRERROR = LINKER.downcallHandle(LIBC.find("strerror").orElseThrow(),
            FunctionDescriptor.of(ADDRESS, JAVA_INT));
    public static final MethodHandle VSNPRINTF = LINKER.downcallHandle(LIBC.find("vsnprintf").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS, ADDRESS));
    /** {@code long syscall(long number, ...)} with five long arguments (perf_event_open). */
    public static final MethodHandle SYSCALL5 = LINKER.downcallHandle(LIBC.find("syscall").orElseThrow(),
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG),
            Linker.Option.firstVariadicArg(1), CAPTURE_ERRNO);


    // ---- BTF globals (kaddrs), XDP attach ----
    public static final int BTF_KIND_VAR = 14;
    public static final int BTF_KIND_DATASEC = 15;
    public static final MethodHandle OBJECT_BTF = downcall("bpf_object__btf", ADDRESS, ADDRESS);
    public static final MethodHandle BTF_TYPE_CNT = downcall("btf__type_cnt", JAVA_INT, ADDRESS);
    public static final MethodHandle BTF_TYPE_BY_ID = downcall("btf__type_by_id", ADDRESS, ADDRESS, JAVA_INT);
    public static final MethodHandle BTF_NAME_BY_OFFSET = downcall("btf__name_by_offset", ADDRESS, ADDRESS, JAVA_INT);
    public static final MethodHandle BTF_FIND_BY_NAME_KIND = downcall("btf__find_by_name_kind", JAVA_INT, ADDRESS, ADDRESS, JAVA_INT);
    public static final MethodHandle MAP_SET_INITIAL_VALUE =
            downcall("bpf_map__set_initial_value", JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG);
    public static final MethodHandle PROGRAM_ATTACH_XDP = downcallErrno("bpf_program__attach_xdp", ADDRESS, ADDRESS, JAVA_INT);
    /** {@code bpf_program__attach_uprobe_opts(prog, pid, binary_path, func_offset, opts)}. */
    public static final MethodHandle PROGRAM_ATTACH_UPROBE_OPTS = downcallErrno("bpf_program__attach_uprobe_opts",
            ADDRESS, ADDRESS, JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS);
    // struct bpf_uprobe_opts (libbpf 1.5): sz, ref_ctr_offset, bpf_cookie, retprobe (bool, padded), func_name,
    // attach_mode (1.3+; 0 is the default mode).
    public static final long UPROBE_OPTS_SIZE = 48;
    public static final long UPROBE_OPTS_RETPROBE = 24;
    public static final long UPROBE_OPTS_FUNC_NAME = 32;
    public static final int BPF_PROG_TYPE_XDP = 6;
    public static final int BPF_XDP = 37;
    public static final MethodHandle IF_NAMETOINDEX = LINKER.downcallHandle(LIBC.find("if_nametoindex").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, ADDRESS));

    public static final MethodHandle VERSION_STRING = downcall("libbpf_version_string", ADDRESS);
    // Read once: the library loaded into this process never changes (build_info asks at every scrape).
    private static final String VERSION = readVersion();

    private LibBpf() {
    }

    /** Our libbpf's symbols, for downcalls declared elsewhere (tests that create maps from Java). */
    public static SymbolLookup lookup() {
        return LIBBPF;
    }

    /** The file the process mapped: {@code libbpf.so.1} resolved ({@code .../libbpf.so.1.5.0}). */
    public static Path file() {
        try {
            return FILE.toRealPath();
        } catch (IOException e) {
            return FILE; // removed since it was loaded: the name it was loaded by is what there is
        }
    }

    /** The loaded libbpf's {@code libbpf_version_string()} without its leading {@code v}, e.g. {@code 1.5}. */
    public static String version() {
        return VERSION;
    }

    private static String readVersion() {
        try {
            String text = string((MemorySegment) VERSION_STRING.invokeExact());
            return text.startsWith("v") ? text.substring(1) : text;
        } catch (Throwable t) {
            throw new IllegalStateException("libbpf_version_string() in " + FILE + " failed", t);
        }
    }

    private static MemorySegment symbol(String name) {
        return LIBBPF.find(name).orElseThrow(() -> new UnsatisfiedLinkError(FILE + " has no symbol " + name));
    }

    private static MethodHandle downcall(String name, MemoryLayout result, MemoryLayout... args) {
        return LINKER.downcallHandle(symbol(name), FunctionDescriptor.of(result, args));
    }

    private static MethodHandle downcallVoid(String name, MemoryLayout... args) {
        return LINKER.downcallHandle(symbol(name), FunctionDescriptor.ofVoid(args));
    }

    /** A downcall whose first argument is the call-state segment that receives errno. */
    private static MethodHandle downcallErrno(String name, MemoryLayout result, MemoryLayout... args) {
        return LINKER.downcallHandle(symbol(name), FunctionDescriptor.of(result, args), CAPTURE_ERRNO);
    }

    public static int errno(MemorySegment callState) {
        return (int) ERRNO.get(callState, 0L);
    }

    /** The text for an errno value, e.g. "Operation not permitted"; libbpf's own codes (4000+) included. */
    public static String strerror(int errno) {
        if (errno >= 4000) {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment buffer = arena.allocate(128);
                int ignored = (int) LIBBPF_STRERROR.invokeExact(-errno, buffer, 128L);
                return buffer.getString(0);
            } catch (Throwable t) {
                return "libbpf error " + errno; // describing an error must not fail: the number is the description
            }
        }
        try {
            MemorySegment text = (MemorySegment) STRERROR.invokeExact(errno);
            return text.reinterpret(Long.MAX_VALUE).getString(0);
        } catch (Throwable t) {
            return "errno " + errno; // describing an error must not fail: the number is the description
        }
    }

    /** Reads a NUL-terminated C string returned by libbpf (a zero-length segment until reinterpreted). */
    public static String string(MemorySegment pointer) {
        return pointer.equals(MemorySegment.NULL) ? null : pointer.reinterpret(Long.MAX_VALUE).getString(0);
    }
}
