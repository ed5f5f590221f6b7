package dev.ebpfexporter.cli;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/** What systemd is for {@code Type=notify}: a bound unix datagram socket that receives sd_notify messages. */
final class NotifyListener implements AutoCloseable {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle SOCKET = handle("socket", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle BIND = handle("bind", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle SETSOCKOPT = handle("setsockopt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle RECV = handle("recv", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final MethodHandle CLOSE = handle("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));

    private final Arena arena = Arena.ofShared();
    private final int fd;
    final Path path;

    private static MethodHandle handle(String name, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(), descriptor);
    }

    NotifyListener(Path path, int timeoutSeconds) throws Throwable {
        this.path = path;
        fd = (int) SOCKET.invokeExact(1, 2, 0); // AF_UNIX, SOCK_DGRAM
        MemorySegment address = arena.allocate(110, 2);
        address.set(JAVA_SHORT, 0, (short) 1);
        byte[] bytes = path.toString().getBytes(StandardCharsets.UTF_8);
        MemorySegment.copy(bytes, 0, address, JAVA_BYTE, 2, bytes.length);
        if ((int) BIND.invokeExact(fd, address, 110) != 0) {
            throw new IllegalStateException("bind " + path);
        }
        MemorySegment timeval = arena.allocate(16, 8);
        timeval.set(JAVA_LONG, 0, timeoutSeconds);
        if ((int) SETSOCKOPT.invokeExact(fd, 1, 20, timeval, 16) != 0) { // SOL_SOCKET, SO_RCVTIMEO
            throw new IllegalStateException("setsockopt");
        }
    }

    /** The next message, or null when none came before the timeout. */
    String receive() throws Throwable {
        MemorySegment buffer = arena.allocate(4096);
        long n = (long) RECV.invokeExact(fd, buffer, 4096L, 0);
        if (n < 0) {
            return null;
        }
        return new String(buffer.asSlice(0, n).toArray(JAVA_BYTE), StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws Exception {
        try {
            int ignored = (int) CLOSE.invokeExact(fd);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
        arena.close();
        java.nio.file.Files.deleteIfExists(path);
    }
}
