package dev.ebpfexporter.testing;

import dev.ebpfexporter.bpf.sys.Libc;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.invoke.MethodHandle;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * A network namespace of the test's own ({@code ip netns add}, loopback up) and one thread that
 * lives in it: work given to {@link #call} sees only this namespace's interfaces and sockets. A
 * test that attaches XDP to {@code lo} does it here, so another XDP program on the machine's
 * {@code lo} (or the same test running concurrently) cannot collide with it.
 */
public final class PrivateNetns implements AutoCloseable {
    private static final int CLONE_NEWNET = 0x40000000;
    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static final MethodHandle SETNS = Linker.nativeLinker().downcallHandle(
            Linker.nativeLinker().defaultLookup().find("setns").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));

    private final String name;
    private final ExecutorService thread;

    private PrivateNetns(String name) throws Exception {
        this.name = name;
        this.thread = Executors.newSingleThreadExecutor(r -> new Thread(r, "netns-" + name));
        int fd = Libc.open("/run/netns/" + name, 0);
        try {
            int result = thread.submit(() -> setns(fd)).get(10, TimeUnit.SECONDS);
            if (result != 0) {
                throw new IllegalStateException("setns into " + name + " failed");
            }
        } finally {
            Libc.close("netns " + name, fd);
        }
    }

    private static int setns(int fd) {
        try {
            return (int) SETNS.invokeExact(fd, CLONE_NEWNET);
        } catch (Throwable t) {
            throw new IllegalStateException("setns", t);
        }
    }

    public static PrivateNetns create() throws Exception {
        TestTools.require("ip", "iproute2");
        String name = "ebpfx-" + ProcessHandle.current().pid() + "-" + SEQUENCE.incrementAndGet();
        ip("netns", "add", name);
        try {
            ip("-n", name, "link", "set", "lo", "up");
            return new PrivateNetns(name);
        } catch (Exception | Error e) {
            ip("netns", "del", name);
            throw e;
        }
    }

    /** Runs {@code work} on this namespace's thread. */
    public <T> T call(Callable<T> work) throws Exception {
        Future<T> result = thread.submit(work);
        try {
            return result.get(2, TimeUnit.MINUTES);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    @Override
    public void close() throws Exception {
        thread.shutdownNow();
        thread.awaitTermination(10, TimeUnit.SECONDS);
        ip("netns", "del", name);
    }

    private static void ip(String... args) throws Exception {
        String[] command = new String[args.length + 1];
        command[0] = "ip";
        System.arraycopy(args, 0, command, 1, args.length);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output.strip());
        }
    }
}
