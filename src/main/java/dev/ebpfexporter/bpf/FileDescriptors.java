package dev.ebpfexporter.bpf;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

/** Raw file descriptors for the kernel interfaces that take them (e.g. cgrp_storage map keys). */
public final class FileDescriptors {
    private FileDescriptors() {
    }

    /** Opens a directory read-only (close-on-exec) and returns its fd. */
    public static int openDirectory(Path dir) throws BpfException {
        try (Arena call = Arena.ofConfined()) {
            MemorySegment state = call.allocate(LibBpf.CALL_STATE);
            int fd = (int) LibBpf.OPEN.invokeExact(state, call.allocateFrom(dir.toString()),
                    LibBpf.O_RDONLY | LibBpf.O_DIRECTORY | LibBpf.O_CLOEXEC);
            if (fd < 0) {
                throw BpfException.of(dir.toString(), "open", LibBpf.errno(state));
            }
            return fd;
        } catch (BpfException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    public static void close(int fd) {
        try {
            int ignored = (int) LibBpf.CLOSE.invokeExact(fd);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }
}
