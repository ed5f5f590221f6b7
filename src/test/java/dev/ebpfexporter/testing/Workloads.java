package dev.ebpfexporter.testing;

import dev.ebpfexporter.bpf.sys.Libc;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Workloads that make the bundled examples' kernel events happen, shared by the example tests and
 * the overhead benchmark. Everything here has a bounded run time, and everything it creates on the
 * machine (files, cgroups, network namespaces) is removed by the {@link AutoCloseable} it returns.
 */
public final class Workloads {
    /** Scratch files go here: a real block device (ext4 on the root disk), not tmpfs. */
    public static final Path SCRATCH_DIR = Path.of("/var/tmp");
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);

    private Workloads() {
    }

    // ---------------------------------------------------------------- processes

    /** How a command ended. */
    public record Result(List<String> command, int exitCode, String output) {
        public Result requireSuccess() {
            if (exitCode != 0) {
                throw new AssertionError("command " + command + " exited with " + exitCode + ":\n" + output);
            }
            return this;
        }
    }

    /** Runs a command to completion (stdout and stderr merged); kills it after {@code timeout}. */
    public static Result run(Duration timeout, List<String> command) {
        Process process = start(command);
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                kill(process);
                throw new AssertionError("command " + command + " did not finish within " + timeout);
            }
            return new Result(command, process.exitValue(), output.get(timeout.toMillis(), TimeUnit.MILLISECONDS));
        } catch (InterruptedException e) {
            kill(process);
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running " + command, e);
        } catch (Exception e) {
            kill(process);
            throw new AssertionError("while running " + command + ": " + e, e);
        }
    }

    public static Result run(String... command) {
        return run(COMMAND_TIMEOUT, List.of(command));
    }

    /** Runs a command and fails unless it exits with 0. */
    public static Result runOk(String... command) {
        return run(command).requireSuccess();
    }

    /** Runs {@code script} with {@code sh -c}. */
    public static Result shell(String script) {
        return run("sh", "-c", script);
    }

    /** Starts a command in the background (output discarded); stop it with {@link #kill(Process)}. */
    public static Process start(List<String> command) {
        try {
            return new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
    }

    /** Kills a process and its descendants and waits (bounded) for it to end. */
    public static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String readAll(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(output unreadable: " + e + ")";
        }
    }

    /** Execs {@code program} {@code times} times, one after the other, each must succeed. */
    public static void execLoop(String program, int times) {
        for (int i = 0; i < times; i++) {
            runOk(program);
        }
    }

    // ---------------------------------------------------------------- waiting

    /** Polls {@code condition} every 50 ms until it holds or {@code timeout} passes; returns whether it held. */
    public static boolean await(Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (condition.getAsBoolean()) {
                return true;
            }
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    // ---------------------------------------------------------------- block IO and page cache

    /** A scratch file under {@link #SCRATCH_DIR}, deleted on close (whether or not it was created). */
    public record ScratchFile(Path path) implements AutoCloseable {
        @Override
        public void close() {
            try {
                Files.deleteIfExists(path);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    public static ScratchFile scratchFile(String name) {
        return new ScratchFile(SCRATCH_DIR.resolve("ebpf-exporter-" + name + "-" + ProcessHandle.current().pid()));
    }

    /** Creates and deletes {@code count} files in a fresh directory under /tmp: one unlink (and d_lookup) each. */
    public static void createAndDelete(int count) {
        try {
            Path dir = Files.createTempDirectory("ebpf-exporter-unlink");
            for (int i = 0; i < count; i++) {
                Path file = dir.resolve("f" + i);
                Files.writeString(file, "x");
                Files.delete(file);
            }
            Files.delete(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code count} fsync() calls on a small file under /tmp (page cache only: no disk needed). */
    public static void fsyncLoop(int count) {
        try {
            Path file = Files.createTempFile("ebpf-exporter-fsync", ".tmp");
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                for (int i = 0; i < count; i++) {
                    channel.write(ByteBuffer.wrap(new byte[] {(byte) i}), i);
                    channel.force(true);
                }
            } finally {
                Files.delete(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes {@code count} blocks of {@code blockSize} bytes with O_DIRECT: one block IO request per block. */
    public static void directWrite(Path file, int blockSize, int count) {
        runOk("dd", "if=/dev/zero", "of=" + file, "bs=" + blockSize, "count=" + count, "oflag=direct", "status=none");
    }

    /** Reads a file with O_DIRECT in blocks of {@code blockSize} bytes. */
    public static void directRead(Path file, int blockSize) {
        runOk("dd", "if=" + file, "of=/dev/null", "bs=" + blockSize, "iflag=direct", "status=none");
    }

    /** Writes {@code mebibytes} MiB through the page cache (buffered, no sync). */
    public static void bufferedWrite(Path file, int mebibytes) {
        byte[] chunk = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (int i = 0; i < mebibytes; i++) {
                out.write(chunk);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code sync}: the flusher threads write every dirty page back. */
    public static void syncAll() {
        runOk("sync");
    }

    /** The block device (as in /proc/partitions, e.g. {@code vda}) that holds {@code path}'s file system. */
    public static String blockDeviceOf(Path path) {
        String devNumber = runOk("stat", "-c", "%d", path.toString()).output().trim();
        long dev = Long.parseLong(devNumber);
        long major = (dev >>> 8) & 0xfff;
        long minor = (dev & 0xff) | ((dev >>> 12) & 0xfff00);
        Path sys = Path.of("/sys/dev/block/" + major + ":" + minor);
        try {
            Path real = sys.toRealPath();
            // A partition (vda1) is counted on its disk (vda): the programs record the request's disk.
            return Files.exists(real.resolve("partition")) ? real.getParent().getFileName().toString()
                    : real.getFileName().toString();
        } catch (IOException e) {
            throw new AssertionError(path + " is not on a block device (" + sys + "): " + e);
        }
    }

    // ---------------------------------------------------------------- network

    /** Loopback TCP traffic that arms the retransmit and delayed-ACK timers (mod_timer → timer_start). */
    public static void armTcpTimers() {
        tcpTraffic(50, 512);
    }

    /** {@code roundTrips} request/response exchanges of {@code size} bytes over a loopback TCP connection. */
    public static void tcpTraffic(int roundTrips, int size) {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (ServerSocket server = new ServerSocket(0, 1, loopback);
             Socket client = new Socket(loopback, server.getLocalPort());
             Socket accepted = server.accept()) {
            client.setTcpNoDelay(true);
            accepted.setTcpNoDelay(true);
            OutputStream out = client.getOutputStream();
            InputStream in = accepted.getInputStream();
            OutputStream back = accepted.getOutputStream();
            InputStream reply = client.getInputStream();
            byte[] data = new byte[size];
            for (int i = 0; i < roundTrips; i++) {
                out.write(data);
                out.flush();
                in.readNBytes(size);
                back.write(data, 0, 1);
                back.flush();
                reply.readNBytes(1);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code count} TCP connections to a loopback listener, each accepted and closed. */
    public static void tcpConnects(int count) {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (ServerSocket server = new ServerSocket(0, count, loopback)) {
            for (int i = 0; i < count; i++) {
                try (Socket client = new Socket(loopback, server.getLocalPort()); Socket accepted = server.accept()) {
                    client.getOutputStream().write(1);
                    accepted.getInputStream().read();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A scratch network namespace, deleted on close. */
    public record NetNs(String name) implements AutoCloseable {
        /** {@code ip netns exec <name> command...} in the background. */
        public Process startInside(String... command) {
            List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", name));
            full.addAll(List.of(command));
            return start(full);
        }

        @Override
        public void close() {
            run("ip", "netns", "del", name);
        }
    }

    public static NetNs netns(String name) {
        NetNs ns = new NetNs("ebpf-exporter-" + name + "-" + ProcessHandle.current().pid());
        run("ip", "netns", "del", ns.name()); // a leftover from a killed run
        runOk("ip", "netns", "add", ns.name());
        return ns;
    }

    /**
     * Starts a TCP connect (from bash) in a scratch namespace to an address routed to {@code lo} that
     * nobody owns: the SYN is dropped silently, so the kernel retransmits it after 1 s, 3 s, 7 s...
     * Close the namespace and kill the returned process when done.
     */
    public static Process unansweredSyn(NetNs ns) {
        runOk("ip", "-n", ns.name(), "link", "set", "lo", "up");
        runOk("ip", "-n", ns.name(), "addr", "add", "10.200.0.1/32", "dev", "lo");
        runOk("ip", "-n", ns.name(), "route", "add", "10.200.0.0/24", "dev", "lo");
        return ns.startInside("timeout", "20", "bash", "-c", "echo > /dev/tcp/10.200.0.2/80");
    }

    // ---------------------------------------------------------------- cgroups

    /** A scratch cgroup directory, removed on close (after its processes are gone). */
    public record Cgroup(Path path) implements AutoCloseable {
        /** Runs {@code script} with {@code sh -c} inside this cgroup (the shell moves itself in first). */
        public Result run(String script) {
            return shell("echo $$ > " + path.resolve("cgroup.procs") + " && " + script);
        }

        @Override
        public void close() {
            if (!Files.exists(path)) {
                return;
            }
            // After an OOM kill or exit the cgroup can stay busy for a moment.
            boolean removed = await(Duration.ofSeconds(10), () -> {
                try {
                    Files.deleteIfExists(path);
                    return true;
                } catch (IOException e) {
                    return false;
                }
            });
            if (!removed) {
                throw new AssertionError("could not remove cgroup " + path);
            }
        }
    }

    /** The cgroup v2 hierarchy, as the exporter finds it (/sys/fs/cgroup on a unified host, /sys/fs/cgroup/unified on a hybrid one). */
    public static Path cgroup2Root() {
        try {
            return dev.ebpfexporter.decoder.CgroupRoot.detect();
        } catch (dev.ebpfexporter.config.ConfigException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    public static Cgroup cgroup2(String name) {
        return mkdir(cgroup2Root().resolve("ebpf-exporter-" + name + "-" + ProcessHandle.current().pid()));
    }

    /**
     * A cgroup with a memory limit of {@code limitBytes} and no swap, on cgroup v2 if its memory
     * controller is there, else on the v1 memory controller.
     */
    public static Cgroup memoryCgroup(String name, long limitBytes) {
        String dir = "ebpf-exporter-" + name + "-" + ProcessHandle.current().pid();
        Path v2 = cgroup2Root();
        Path v1 = Path.of("/sys/fs/cgroup/memory");
        try {
            if (Files.readString(v2.resolve("cgroup.controllers")).contains("memory")) {
                Cgroup cgroup = mkdir(v2.resolve(dir));
                write(cgroup.path().resolve("memory.max"), Long.toString(limitBytes));
                if (Files.exists(cgroup.path().resolve("memory.swap.max"))) {
                    write(cgroup.path().resolve("memory.swap.max"), "0");
                }
                return cgroup;
            }
            if (Files.isDirectory(v1)) {
                Cgroup cgroup = mkdir(v1.resolve(dir));
                write(cgroup.path().resolve("memory.limit_in_bytes"), Long.toString(limitBytes));
                if (Files.exists(cgroup.path().resolve("memory.memsw.limit_in_bytes"))) {
                    write(cgroup.path().resolve("memory.memsw.limit_in_bytes"), Long.toString(limitBytes));
                }
                return cgroup;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new AssertionError("no memory cgroup controller (neither cgroup v2 nor v1)");
    }

    /** Makes a process run out of memory in {@code cgroup}; returns how it ended (137 when killed). */
    public static Result oomInside(Cgroup cgroup) {
        return oomInside(cgroup, "perl");
    }

    /**
     * Runs the allocation through a link named {@code command} to perl, so the victim's command
     * (the kernel's comm, taken from the executed file name) is one no other process on the machine has.
     */
    public static Result oomInside(Cgroup cgroup, String command) {
        if (command.equals("perl")) {
            return cgroup.run("exec perl -e '$x = q(a) x (256<<20)'");
        }
        try {
            Path dir = Files.createTempDirectory("oom");
            Path link = Files.createSymbolicLink(dir.resolve(command), Path.of("/usr/bin/perl"));
            try {
                return cgroup.run("exec " + link + " -e '$x = q(a) x (256<<20)'");
            } finally {
                Files.deleteIfExists(link);
                Files.deleteIfExists(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Cgroup mkdir(Path path) {
        try {
            if (Files.exists(path)) {
                Files.delete(path); // a leftover from a killed run
            }
            Files.createDirectory(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Cgroup(path);
    }

    private static void write(Path file, String value) throws IOException {
        Files.writeString(file, value);
    }

    // ---------------------------------------------------------------- CPU

    /** Keeps {@code threads} threads spinning on the CPU for {@code duration}. */
    public static void burnCpu(int threads, Duration duration) {
        long deadline = System.nanoTime() + duration.toNanos();
        List<Thread> spinners = new ArrayList<>();
        AtomicBoolean sink = new AtomicBoolean();
        for (int i = 0; i < threads; i++) {
            spinners.add(Thread.ofPlatform().start(() -> {
                long x = 0;
                while (System.nanoTime() < deadline) {
                    for (int j = 0; j < 10_000; j++) {
                        x = x * 31 + j;
                    }
                }
                sink.set(x == 42);
            }));
        }
        for (Thread t : spinners) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Spends {@code duration} in system calls (reads of /proc/self/stat): time the CPU spends in the kernel. */
    public static void kernelBusyLoop(Duration duration) {
        long deadline = System.nanoTime() + duration.toNanos();
        Path stat = Path.of("/proc/self/stat");
        try {
            while (System.nanoTime() < deadline) {
                Files.readAllBytes(stat);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---------------------------------------------------------------- libc calls (no process started)

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final MethodHandle GETPID = LINKER.downcallHandle(LIBC.find("getpid").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT));
    private static final MethodHandle READ = LINKER.downcallHandle(LIBC.find("read").orElseThrow(),
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle OPEN = LINKER.downcallHandle(LIBC.find("open").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle OPEN_MODE = LINKER.downcallHandle(LIBC.find("open").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), Linker.Option.firstVariadicArg(2));
    private static final MethodHandle PWRITE = LINKER.downcallHandle(LIBC.find("pwrite").orElseThrow(),
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG));
    private static final MethodHandle GETADDRINFO = LINKER.downcallHandle(LIBC.find("getaddrinfo").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS));
    private static final MethodHandle FREEADDRINFO = LINKER.downcallHandle(LIBC.find("freeaddrinfo").orElseThrow(),
            FunctionDescriptor.ofVoid(ADDRESS));

    /** {@code getpid()} {@code times} times: one getpid system call each (glibc does not cache it). */
    public static void getpidLoop(long times) {
        try {
            for (long i = 0; i < times; i++) {
                int ignored = (int) GETPID.invokeExact();
            }
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Opens /dev/zero for one-byte reads; close it when done. */
    public static ZeroReader zeroReader() {
        return new ZeroReader();
    }

    /** An open /dev/zero and a one-byte buffer: {@link #read(long)} makes one {@code read()} system call per call. */
    public static final class ZeroReader implements AutoCloseable {
        private final Arena arena = Arena.ofConfined();
        private final MemorySegment buffer = arena.allocate(8);
        private final int fd;

        private ZeroReader() {
            try {
                fd = (int) OPEN.invokeExact(arena.allocateFrom("/dev/zero"), 0);
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
            if (fd < 0) {
                throw new IllegalStateException("cannot open /dev/zero");
            }
        }

        public void read(long times) {
            readLoop(fd, buffer, times);
        }

        @Override
        public void close() {
            Libc.closeQuietly("workload file", fd);
            arena.close();
        }
    }

    /**
     * A scratch file opened with O_DIRECT (and deleted on close): {@link #write(long)} overwrites its
     * first 4 KiB block, one block write request per call.
     */
    public static final class DirectWriter implements AutoCloseable {
        private static final int O_WRONLY = 01;
        private static final int O_CREAT = 0100;
        private static final int O_DIRECT = 040000; // x86_64 and arm64 differ: arm64 is 0200000
        private final ScratchFile file;
        private final Arena arena = Arena.ofConfined();
        private final MemorySegment block = arena.allocate(4096, 4096);
        private final int fd;

        private DirectWriter(ScratchFile file) {
            this.file = file;
            int direct = System.getProperty("os.arch").contains("aarch64") ? 0200000 : O_DIRECT;
            try {
                fd = (int) OPEN_MODE.invokeExact(arena.allocateFrom(file.path().toString()), O_WRONLY | O_CREAT | direct, 0644);
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
            if (fd < 0) {
                throw new IllegalStateException("cannot open " + file.path() + " with O_DIRECT");
            }
        }

        public void write(long times) {
            for (long i = 0; i < times; i++) {
                long n = pwriteBlock();
                if (n != 4096) {
                    throw new IllegalStateException("pwrite returned " + n);
                }
            }
        }

        private long pwriteBlock() {
            try {
                return (long) PWRITE.invokeExact(fd, block, 4096L, 0L);
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
        }

        @Override
        public void close() {
            Libc.closeQuietly("workload file", fd);
            arena.close();
            file.close();
        }
    }

    public static DirectWriter directWriter(String name) {
        return new DirectWriter(scratchFile(name));
    }

    private static void readLoop(int fd, MemorySegment buffer, long times) {
        try {
            for (long i = 0; i < times; i++) {
                long n = (long) READ.invokeExact(fd, buffer, 1L);
                if (n != 1) {
                    throw new IllegalStateException("read returned " + n);
                }
            }
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** libc {@code getaddrinfo(host)} in this process, {@code times} times. */
    public static void getaddrinfoLoop(String host, long times) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment node = arena.allocateFrom(host);
            MemorySegment result = arena.allocate(ADDRESS);
            for (long i = 0; i < times; i++) {
                int rc = (int) GETADDRINFO.invokeExact(node, MemorySegment.NULL, MemorySegment.NULL, result);
                if (rc != 0) {
                    throw new IllegalStateException("getaddrinfo(" + host + ") returned " + rc);
                }
                FREEADDRINFO.invokeExact(result.get(ADDRESS, 0));
            }
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }
}
