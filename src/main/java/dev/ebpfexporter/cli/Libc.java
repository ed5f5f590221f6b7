package dev.ebpfexporter.cli;

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

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The few libc calls the process lifecycle needs and the JDK lacks: file descriptor juggling for
 * systemd socket activation, a unix datagram for sd_notify, and capabilities. Every call returns
 * -1 and leaves {@code errno} on failure; {@link #call} turns that into an exception with strerror.
 */
final class Libc {
    static final int AF_UNIX = 1;
    static final int SOCK_DGRAM = 2;
    static final int SOCK_CLOEXEC = 0x80000;
    static final int O_RDWR = 2;
    static final int PR_CAPBSET_READ = 23;
    static final int PR_CAPBSET_DROP = 24;
    static final int PR_CAP_AMBIENT = 47;
    static final int PR_CAP_AMBIENT_CLEAR_ALL = 4;
    /** _LINUX_CAPABILITY_VERSION_3: two 32-bit words per set. */
    static final int CAPABILITY_VERSION_3 = 0x20080522;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    static final MethodHandle DUP = function("dup", JAVA_INT, JAVA_INT);
    static final MethodHandle DUP2 = function("dup2", JAVA_INT, JAVA_INT, JAVA_INT);
    static final MethodHandle OPEN = function("open", JAVA_INT, ADDRESS, JAVA_INT);
    static final MethodHandle CLOSE = function("close", JAVA_INT, JAVA_INT);
    static final MethodHandle SOCKET = function("socket", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT);
    static final MethodHandle SENDTO = function("sendto", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT);
    static final MethodHandle CAPGET = function("capget", JAVA_INT, ADDRESS, ADDRESS);
    static final MethodHandle CAPSET = function("capset", JAVA_INT, ADDRESS, ADDRESS);
    static final MethodHandle PRCTL = function("prctl", JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG);
    private static final MethodHandle STRERROR = LINKER.downcallHandle(LIBC.find("strerror").orElseThrow(),
            FunctionDescriptor.of(ADDRESS, JAVA_INT));

    private Libc() {
    }

    private static MethodHandle function(String name, ValueLayout result, MemoryLayout... args) {
        MethodHandle handle = LINKER.downcallHandle(LIBC.find(name).orElseThrow(),
                FunctionDescriptor.of(result, args), Linker.Option.captureCallState("errno"));
        return handle;
    }

    /** A native call that takes the errno capture segment first. */
    @FunctionalInterface
    interface NativeCall {
        long invoke(MemorySegment errno) throws Throwable;
    }

    /** Runs {@code call}; a result of -1 becomes an exception naming {@code what} and the error. */
    static long call(String what, NativeCall call) throws NativeException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            long result = call.invoke(state);
            if (result == -1) {
                int errno = (int) ERRNO.get(state, 0L);
                throw new NativeException(what + ": " + strerror(errno), errno);
            }
            return result;
        } catch (NativeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(what, t);
        }
    }

    static String strerror(int errno) {
        try {
            MemorySegment text = (MemorySegment) STRERROR.invokeExact(errno);
            return text.reinterpret(256).getString(0);
        } catch (Throwable t) {
            return "errno " + errno;
        }
    }

    /** A failed libc call: its message names the call and the error. */
    static final class NativeException extends Exception {
        final int errno;

        NativeException(String message, int errno) {
            super(message);
            this.errno = errno;
        }
    }
}
