package dev.ebpfexporter.bpf.sys;

import java.lang.foreign.MemorySegment;

/**
 * Runs one FFM downcall. {@code invokeExact} declares {@code Throwable}, yet with exact types it
 * throws nothing a caller could handle: what comes out is a bug or a broken library, reported as an
 * {@link IllegalStateException} that names the object and the operation.
 */
public final class Downcall {
    @FunctionalInterface
    public interface IntCall {
        int run() throws Throwable;
    }

    @FunctionalInterface
    public interface LongCall {
        long run() throws Throwable;
    }

    @FunctionalInterface
    public interface PointerCall {
        MemorySegment run() throws Throwable;
    }

    @FunctionalInterface
    public interface VoidCall {
        void run() throws Throwable;
    }

    private Downcall() {
    }

    public static int ofInt(String what, String operation, IntCall call) {
        try {
            return call.run();
        } catch (Throwable t) {
            throw failed(what, operation, t);
        }
    }

    public static long ofLong(String what, String operation, LongCall call) {
        try {
            return call.run();
        } catch (Throwable t) {
            throw failed(what, operation, t);
        }
    }

    public static MemorySegment ofPointer(String what, String operation, PointerCall call) {
        try {
            return call.run();
        } catch (Throwable t) {
            throw failed(what, operation, t);
        }
    }

    public static void run(String what, String operation, VoidCall call) {
        try {
            call.run();
        } catch (Throwable t) {
            throw failed(what, operation, t);
        }
    }

    public static IllegalStateException failed(String what, String operation, Throwable t) {
        return new IllegalStateException(what + ": " + operation + ": native call failed: " + t, t);
    }
}
