package dev.ebpfexporter.bpf.sys;

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
 * systemd socket activation and cgroup map keys, a unix datagram for sd_notify, and capabilities. They live here because
 * this package is the only one that touches native memory. Every call returns -1 and leaves
 * {@code errno} on failure, which becomes a {@link NativeException} naming the call and strerror.
 */
public final class Libc {
    public static final int O_RDWR = 2;
    private static final int O_RDONLY = 0;
    private static final int O_CLOEXEC = 0x80000;
    public static final int PR_CAPBSET_READ = 23;
    public static final int PR_CAPBSET_DROP = 24;
    public static final int PR_CAP_AMBIENT = 47;
    public static final int PR_CAP_AMBIENT_CLEAR_ALL = 4;
    /** sizeof(sockaddr_un.sun_path). */
    public static final int SUN_PATH = 108;

    private static final int AF_UNIX = 1;
    private static final int SOCK_DGRAM = 2;
    private static final int SOCK_CLOEXEC = 0x80000;
    /** _LINUX_CAPABILITY_VERSION_3: two 32-bit words per set. */
    private static final int CAPABILITY_VERSION_3 = 0x20080522;

    private static final MethodHandle DUP = function("dup", JAVA_INT, JAVA_INT);
    private static final MethodHandle DUP2 = function("dup2", JAVA_INT, JAVA_INT, JAVA_INT);
    private static final MethodHandle OPEN = function("open", JAVA_INT, ADDRESS, JAVA_INT);
    private static final MethodHandle CLOSE = function("close", JAVA_INT, JAVA_INT);
    private static final MethodHandle SOCKET = function("socket", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT);
    private static final MethodHandle SENDTO =
            function("sendto", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT);
    private static final MethodHandle CAPGET = function("capget", JAVA_INT, ADDRESS, ADDRESS);
    private static final MethodHandle CAPSET = function("capset", JAVA_INT, ADDRESS, ADDRESS);
    private static final MethodHandle SETRESUID = function("setresuid", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT);
    private static final MethodHandle SETRESGID = function("setresgid", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT);
    private static final MethodHandle SETGROUPS = function("setgroups", JAVA_INT, JAVA_LONG, ADDRESS);
    private static final MethodHandle PRCTL =
            function("prctl", JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG);

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
        return open(dir.toString(), O_RDONLY | Arch.O_DIRECTORY | O_CLOEXEC);
    }

    public static void close(String what, int fd) throws NativeException {
        call(what, s -> (int) CLOSE.invokeExact(s, fd));
    }

    /** Closes an fd this process owns; a failure (a bug: the fd was not open) is logged, not thrown. */
    public static void closeQuietly(String what, int fd) {
        try {
            close("close " + what + " (fd " + fd + ")", fd);
        } catch (NativeException e) {
            org.slf4j.LoggerFactory.getLogger(Libc.class).warn("{}", e.getMessage());
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

    /** This thread's effective, permitted and inheritable capability sets ({@code capget}). */
    public static long[] capget() throws NativeException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment header = capabilityHeader(arena);
            MemorySegment data = arena.allocate(24, 4);
            call("capget", s -> (int) CAPGET.invokeExact(s, header, data));
            long[] sets = new long[3];
            for (int word = 0; word < 2; word++) {
                for (int set = 0; set < 3; set++) {
                    long bits = Integer.toUnsignedLong(data.get(JAVA_INT, word * 12L + set * 4L));
                    sets[set] |= bits << (32 * word);
                }
            }
            return sets;
        }
    }

    /** Sets this thread's capability sets ({@code capset}). */
    public static void capset(long effective, long permitted, long inheritable) throws NativeException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment header = capabilityHeader(arena);
            MemorySegment data = arena.allocate(24, 4);
            long[] sets = {effective, permitted, inheritable};
            for (int word = 0; word < 2; word++) {
                for (int set = 0; set < 3; set++) {
                    data.set(JAVA_INT, word * 12L + set * 4L, (int) (sets[set] >>> (32 * word)));
                }
            }
            call("capset", s -> (int) CAPSET.invokeExact(s, header, data));
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

    private static MemorySegment capabilityHeader(Arena arena) {
        MemorySegment header = arena.allocate(8, 4);
        header.set(JAVA_INT, 0, CAPABILITY_VERSION_3);
        header.set(JAVA_INT, 4, 0); // this thread
        return header;
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
