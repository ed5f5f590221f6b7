package dev.ebpfexporter.bpf.sys;

import dev.ebpfexporter.platform.Architecture;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * The few libc calls the process lifecycle needs and the JDK lacks: file descriptor juggling for
 * systemd socket activation and cgroup map keys, a unix datagram for sd_notify, and dropping privileges (no_new_privs
 * on every thread, user switching). They live here because
 * this package is the only one that touches native memory. Every call returns -1 and leaves
 * {@code errno} on failure, which becomes a {@link NativeException} naming the call and strerror.
 */
public final class Libc {
    public static final int O_RDWR = 2;
    private static final int O_RDONLY = 0;
    private static final int O_CLOEXEC = 0x80000;
    /** sizeof(sockaddr_un.sun_path). */
    public static final int SUN_PATH = 108;

    private static final int AF_UNIX = 1;
    private static final int SOCK_DGRAM = 2;
    private static final int SOCK_CLOEXEC = 0x80000;

    private static final MethodHandle DUP = function("dup", JAVA_INT, JAVA_INT);
    private static final MethodHandle DUP2 = function("dup2", JAVA_INT, JAVA_INT, JAVA_INT);
    private static final MethodHandle OPEN = function("open", JAVA_INT, ADDRESS, JAVA_INT);
    private static final MethodHandle CLOSE = function("close", JAVA_INT, JAVA_INT);
    private static final MethodHandle SOCKET = function("socket", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT);
    private static final MethodHandle SENDTO =
            function("sendto", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT);
    private static final MethodHandle SETRESUID = function("setresuid", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT);
    private static final MethodHandle SETRESGID = function("setresgid", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT);
    private static final MethodHandle SETGROUPS = function("setgroups", JAVA_INT, JAVA_LONG, ADDRESS);
    private static final MethodHandle PRCTL =
            function("prctl", JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG);
    /** {@code long syscall(long number, ...)}: for seccomp(2), which glibc does not wrap. */
    private static final MethodHandle SYSCALL3 = LibBpf.LINKER.downcallHandle(
            LibBpf.LINKER.defaultLookup().find("syscall").orElseThrow(),
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS),
            java.lang.foreign.Linker.Option.firstVariadicArg(1), LibBpf.CAPTURE_ERRNO);
    private static final int PR_SET_NO_NEW_PRIVS = 38;
    private static final long SECCOMP_SET_MODE_FILTER = 1;
    private static final long SECCOMP_FILTER_FLAG_TSYNC = 1;
    /** {@code BPF_RET | BPF_K} returning {@code SECCOMP_RET_ALLOW}: a filter that allows every call. */
    private static final short BPF_RET_K = 0x06;
    private static final int SECCOMP_RET_ALLOW = 0x7fff0000;

    private Libc() {
    }

    private static MethodHandle function(String name, MemoryLayout result, MemoryLayout... args) {
        return LibBpf.LINKER.downcallHandle(LibBpf.LINKER.defaultLookup().find(name).orElseThrow(),
                FunctionDescriptor.of(result, args), LibBpf.CAPTURE_ERRNO);
    }

    public static int dup(int fd) throws NativeException {
        return (int) call("dup(" + fd + ")", s -> (int) DUP.invokeExact(s, fd));
    }

    public static void dup2(String what, int from, int to) throws NativeException {
        call(what, s -> (int) DUP2.invokeExact(s, from, to));
    }

    public static int open(String path, int flags) throws NativeException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cPath = arena.allocateFrom(path);
            return (int) call("open " + path, s -> (int) OPEN.invokeExact(s, cPath, flags));
        }
    }

    /** Opens a directory read-only and close-on-exec (e.g. a cgroup, whose fd is a cgrp_storage map key). */
    public static int openDirectory(java.nio.file.Path dir) throws NativeException {
        return open(dir.toString(), O_RDONLY | Architecture.current().oDirectory() | O_CLOEXEC);
    }

    public static void close(String what, int fd) throws NativeException {
        call(what, s -> (int) CLOSE.invokeExact(s, fd));
    }

    /** Closes an fd this process owns; a failure (a bug: the fd was not open) is logged, not thrown. */
    public static void closeQuietly(String what, int fd) {
        try {
            close("close " + what + " (fd " + fd + ")", fd);
        } catch (NativeException e) {
            org.slf4j.LoggerFactory.getLogger(Libc.class).warn("{}", e.getMessage(), e);
        }
    }

    /** {@code prctl(option, arg2, 0, 0, 0)}; {@code what} names it in errors. */
    public static int prctl(String what, int option, long arg2) throws NativeException {
        return (int) call(what, s -> (int) PRCTL.invokeExact(s, option, arg2, 0L, 0L, 0L));
    }

    /**
     * Sends {@code message} as one datagram to a unix socket; {@code sunPath} is exactly the bytes of
     * {@code sun_path} to pass (NUL-terminated for a filesystem path, a leading NUL for an abstract name).
     *
     * @param socketPath names the socket in errors
     */
    public static void sendUnixDatagram(String socketPath, byte[] sunPath, byte[] message) throws NativeException {
        if (sunPath.length > SUN_PATH) {
            throw new NativeException(socketPath + ": longer than " + SUN_PATH + " bytes", 0);
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment address = arena.allocate(2 + SUN_PATH, 2);
            address.set(JAVA_SHORT, 0, (short) AF_UNIX);
            MemorySegment.copy(sunPath, 0, address, JAVA_BYTE, 2, sunPath.length);
            int length = 2 + sunPath.length;
            MemorySegment body = arena.allocateFrom(JAVA_BYTE, message);
            int fd = (int) call("socket(AF_UNIX, SOCK_DGRAM)",
                    s -> (int) SOCKET.invokeExact(s, AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0));
            try {
                call("sendto " + socketPath, s -> (long) SENDTO.invokeExact(s, fd, body,
                        (long) message.length, 0, address, length));
            } finally {
                close("close", fd);
            }
        }
    }

    /**
     * Sets no_new_privs on every thread of the process. prctl sets it on the calling thread only; a seccomp filter
     * installed with {@code SECCOMP_FILTER_FLAG_TSYNC} is given to every thread, and the kernel sets no_new_privs on
     * each thread it gives the filter to when the caller has it. The filter allows every system call.
     */
    public static void noNewPrivsOnEveryThread() throws NativeException {
        prctl("prctl(PR_SET_NO_NEW_PRIVS)", PR_SET_NO_NEW_PRIVS, 1);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment filter = arena.allocate(8, 4); // struct sock_filter {u16 code; u8 jt, jf; u32 k}
            filter.set(JAVA_SHORT, 0, BPF_RET_K);
            filter.set(JAVA_INT, 4, SECCOMP_RET_ALLOW);
            MemorySegment program = arena.allocate(16, 8); // struct sock_fprog {u16 len; struct sock_filter *filter}
            program.set(JAVA_SHORT, 0, (short) 1);
            program.set(ADDRESS, 8, filter);
            long thread = call("seccomp(SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_TSYNC)", s -> (long) SYSCALL3
                    .invokeExact(s, Architecture.current().nrSeccomp(), SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_TSYNC, program));
            if (thread != 0) {
                throw new NativeException("seccomp(SECCOMP_FILTER_FLAG_TSYNC): thread " + thread
                        + " could not be given the filter", 0);
            }
        }
    }

    /**
     * Switches the whole process to {@code uid}/{@code gid} with no supplementary groups. glibc applies these
     * calls to every thread of the process (its set*id broadcast), unlike the raw system calls, which change
     * only the calling thread; leaving uid 0 this way clears every thread's permitted and effective capabilities.
     */
    public static void switchUser(int uid, int gid) throws NativeException {
        call("setgroups(0)", s -> (int) SETGROUPS.invokeExact(s, 0L, MemorySegment.NULL));
        call("setresgid(" + gid + ")", s -> (int) SETRESGID.invokeExact(s, gid, gid, gid));
        call("setresuid(" + uid + ")", s -> (int) SETRESUID.invokeExact(s, uid, uid, uid));
    }

    /** A native call that takes the errno capture segment first. */
    @FunctionalInterface
    private interface NativeCall {
        long invoke(MemorySegment errno) throws Throwable;
    }

    /** Runs {@code call}; a result of -1 becomes an exception naming {@code what} and the error. */
    private static long call(String what, NativeCall call) throws NativeException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(LibBpf.CALL_STATE);
            long result = call.invoke(state);
            if (result == -1) {
                int errno = LibBpf.errno(state);
                throw new NativeException(what + ": " + LibBpf.strerror(errno), errno);
            }
            return result;
        } catch (NativeException e) {
            throw e;
        } catch (Throwable t) {
            throw Downcall.failed("libc", what, t);
        }
    }

    /** A failed libc call: its message names the call and the error. */
    public static final class NativeException extends Exception {
        private final int errno;

        public NativeException(String message, int errno) {
            super(message);
            this.errno = errno;
        }

        /** The call's errno, or 0 when the arguments were refused before any call. */
        public int errno() {
            return errno;
        }
    }
}
