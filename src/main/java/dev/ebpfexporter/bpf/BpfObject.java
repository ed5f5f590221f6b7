package dev.ebpfexporter.bpf;

import dev.ebpfexporter.bpf.check.ObjectFileCheck;
import dev.ebpfexporter.bpf.sys.BpfException;
import dev.ebpfexporter.bpf.sys.Downcall;
import dev.ebpfexporter.bpf.sys.Errno;
import dev.ebpfexporter.bpf.sys.LibBpf;
import dev.ebpfexporter.bpf.sys.LibbpfLog;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * An opened (and later loaded) BPF object file: its programs and maps. Closing it unloads
 * everything libbpf created for it; links must be destroyed first (see {@code bpf.link.BpfLink}).
 *
 * <p>Lifetime: every operation on its maps and programs runs inside {@link #enter}/{@link #exit}
 * (a read lock); {@link #close()} takes the write lock, so it waits for operations in flight, and
 * later operations fail with "object closed" instead of touching memory libbpf has freed.
 */
public final class BpfObject implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BpfObject.class);
    private static final int VERIFIER_TAIL_LINES = 12;
    /** How long close waits for operations in flight (a map read of a million entries takes ~0.3 s). */
    private static final long DRAIN_SECONDS = 10;

    private final String name;
    private final MemorySegment object;
    /** The object file's bytes that libbpf opened; kept as long as the object, freed after it. */
    private final Arena image;
    /** Opened with {@code --btf.path}'s BTF: a load that finds no kernel BTF says that file cannot stand in for it. */
    private final boolean externalBtf;
    private final List<BpfProgram> programs;
    private final List<BpfMap> maps;
    private final ReentrantReadWriteLock lifetime = new ReentrantReadWriteLock();
    private volatile boolean closed;

    private BpfObject(String name, MemorySegment object, Arena image, boolean externalBtf) {
        this.name = name;
        this.externalBtf = externalBtf;
        this.object = object;
        this.image = image;
        this.programs = listPrograms();
        this.maps = listMaps();
    }

    /**
     * Opens an object file (parses ELF and BTF; nothing is loaded into the kernel yet): reads it once, checks
     * those bytes ({@code bpf.check.ObjectFileCheck}) and hands the same bytes to libbpf.
     *
     * @param btfPath      external BTF for CO-RE relocations, for kernels without /sys/kernel/btf/vmlinux
     * @param sectionTypes section prefixes libbpf must be taught first ({@code bpf.link.AttachKinds.sectionTypes()})
     */
    public static BpfObject open(Path file, Optional<Path> btfPath, List<SectionType> sectionTypes)
            throws BpfException {
        LibbpfLog.install();
        SectionHandlers.registerAll(sectionTypes);
        // libbpf parses the very bytes the checks read: opening the path again could read another file.
        byte[] bytes = ObjectFileCheck.read(file);
        Arena image = Arena.ofShared();
        try (Arena call = Arena.ofConfined()) {
            MemorySegment buffer = image.allocateFrom(JAVA_BYTE, bytes);
            MemorySegment opts = call.allocate(LibBpf.OPEN_OPTS_SIZE, 8);
            opts.set(JAVA_LONG, 0, LibBpf.OPEN_OPTS_SIZE);
            opts.set(ADDRESS, LibBpf.OPEN_OPTS_OBJECT_NAME, call.allocateFrom(libbpfName(file)));
            if (btfPath.isPresent()) {
                opts.set(ADDRESS, LibBpf.OPEN_OPTS_BTF_CUSTOM_PATH, call.allocateFrom(btfPath.get().toString()));
            }
            MemorySegment state = call.allocate(LibBpf.CALL_STATE);
            var captured = LibbpfLog.capture(() -> Downcall.ofPointer(file.toString(), "open",
                    () -> (MemorySegment) LibBpf.OBJECT_OPEN_MEM.invokeExact(state, buffer, (long) bytes.length, opts)));
            MemorySegment object = captured.value();
            if (object.equals(MemorySegment.NULL)) {
                int errno = LibBpf.errno(state);
                throw new BpfException(file + ": cannot open BPF object: " + LoadDiagnosis.open(captured.lines())
                        .orElse(BpfException.describe(errno) + lastLine(captured.lines())), errno);
            }
            BpfObject opened = new BpfObject(file.getFileName().toString(), object, image, btfPath.isPresent());
            image = null; // the object owns it now
            return opened;
        } finally {
            if (image != null) {
                image.close();
            }
        }
    }

    /**
     * The name libbpf gives an object it opens from a path: the file name up to its first dot ({@code timers} for
     * {@code timers.bpf.o}). Passed when opening from memory, so the object's internal maps keep the names they have
     * always had ({@code timers.rodata}, {@code timers.bss}).
     */
    static String libbpfName(Path file) {
        String name = file.getFileName().toString();
        int dot = name.indexOf('.');
        return dot < 0 ? name : name.substring(0, dot);
    }

    /** Loads every (autoload) program and creates every map; a verifier rejection shows the log's tail. */
    public void load() throws BpfException {
        var captured = LibbpfLog.capture(() -> Downcall.ofInt(name, "load",
                () -> (int) LibBpf.OBJECT_LOAD.invokeExact(object)));
        int result = captured.value();
        if (result < 0) {
            List<String> refused = refusedPrograms(captured.lines());
            java.util.Map<String, String> sections = new java.util.LinkedHashMap<>();
            programs.stream().filter(p -> refused.contains(p.name())).forEach(p -> sections.put(p.name(), p.section()));
            String message = name + ": load failed: " + LoadDiagnosis.load(-result, captured.lines(), sections, externalBtf)
                    .orElse(BpfException.describe(-result) + verifierTail(captured.lines()));
            if (!refused.isEmpty()) {
                throw new ProgramLoadException(message, -result, refused);
            }
            throw new BpfException(message, -result);
        }
        // File descriptors are read once, now: afterwards nothing asks libbpf's structs for them.
        maps.forEach(BpfMap::loaded);
        programs.forEach(BpfProgram::loaded);
    }

    private static final java.util.regex.Pattern REFUSED =
            java.util.regex.Pattern.compile("prog '([^']+)': failed to load");

    /** Programs libbpf reports as refused ("prog 'NAME': failed to load: -errno"). */
    static List<String> refusedPrograms(List<String> lines) {
        List<String> names = new ArrayList<>();
        for (String line : lines) {
            var matcher = REFUSED.matcher(line);
            if (matcher.find() && !names.contains(matcher.group(1))) {
                names.add(matcher.group(1));
            }
        }
        return names;
    }

    /** libbpf prints the kernel's verifier log between BEGIN/END markers; keep its last lines. */
    static String verifierTail(List<String> lines) {
        int begin = -1;
        int end = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains("BEGIN PROG LOAD LOG")) {
                begin = i;
            } else if (lines.get(i).contains("END PROG LOAD LOG")) {
                end = i;
            }
        }
        if (begin < 0 || end <= begin) {
            return lastLine(lines);
        }
        List<String> log = lines.subList(begin + 1, end).stream().filter(l -> !l.isBlank()).toList();
        List<String> tail = log.subList(Math.max(0, log.size() - VERIFIER_TAIL_LINES), log.size());
        return "; verifier log (last " + tail.size() + " lines): " + String.join(" | ", tail);
    }

    private static String lastLine(List<String> lines) {
        return lines.isEmpty() ? "" : "; libbpf: " + lines.getLast().replaceFirst("^libbpf: ", "");
    }

    private List<BpfProgram> listPrograms() {
        return list(LibBpf.OBJECT_NEXT_PROGRAM, prog -> new BpfProgram(this, prog));
    }

    private List<BpfMap> listMaps() {
        return list(LibBpf.OBJECT_NEXT_MAP, map -> new BpfMap(this, map));
    }

    /** Walks libbpf's {@code bpf_object__next_*(object, previous)} iterator until it returns NULL. */
    private <T> List<T> list(MethodHandle next, Function<MemorySegment, T> wrap) {
        List<T> result = new ArrayList<>();
        MemorySegment item = MemorySegment.NULL;
        while (true) {
            MemorySegment previous = item;
            item = Downcall.ofPointer(name, "list programs and maps",
                    () -> (MemorySegment) next.invokeExact(object, previous));
            if (item.equals(MemorySegment.NULL)) {
                return List.copyOf(result);
            }
            result.add(wrap.apply(item));
        }
    }

    public String name() {
        return name;
    }

    public List<BpfProgram> programs() {
        return programs;
    }

    public List<BpfMap> maps() {
        return maps;
    }

    public Optional<BpfMap> map(String mapName) {
        return maps.stream().filter(m -> m.name().equals(mapName)).findFirst();
    }

    /** The libbpf {@code struct bpf_object *} (for the other classes of this package). */
    MemorySegment handle() {
        return object;
    }

    /**
     * Starts an operation on this object's maps or programs; pair with {@link #exit()}.
     *
     * @param what names the map or program in the error when the object is closed
     */
    void enter(String what) throws BpfException {
        if (!lifetime.readLock().tryLock()) {
            throw new BpfException(what + ": object closed", Errno.EBADF);
        }
        if (closed) {
            lifetime.readLock().unlock();
            throw new BpfException(what + ": object closed", Errno.EBADF);
        }
    }

    void exit() {
        lifetime.readLock().unlock();
    }

    public boolean isClosed() {
        return closed;
    }

    /**
     * Waits for operations in flight, then frees everything libbpf holds for the object. When an
     * operation does not finish in time the object is left loaded (a leak, logged) rather than freed
     * under it.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true; // from here on, enter() refuses new operations
        }
        boolean drained;
        try {
            drained = lifetime.writeLock().tryLock(DRAIN_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            drained = false;
        }
        if (!drained) {
            LOG.warn("{}: still in use after {} s; left loaded instead of freed under its user", name, DRAIN_SECONDS);
            return;
        }
        try {
            maps.forEach(BpfMap::releaseBuffers);
            Downcall.run(name, "close", () -> {
                LibBpf.OBJECT_CLOSE.invokeExact(object);
            });
            image.close();
        } finally {
            lifetime.writeLock().unlock();
        }
    }
}
