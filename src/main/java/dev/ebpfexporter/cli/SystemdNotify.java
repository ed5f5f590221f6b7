package dev.ebpfexporter.cli;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * {@code sd_notify}: one datagram ({@code READY=1}, {@code STOPPING=1}) to the unix socket named in
 * {@code NOTIFY_SOCKET}, for {@code Type=notify} units. A path starting with {@code @} is in the
 * abstract namespace. The JDK's unix domain channels are stream-only, hence {@code sendto} by FFM.
 */
final class SystemdNotify {
    private static final int SUN_PATH = 108;

    private SystemdNotify() {
    }

    /**
     * Sends {@code state} when {@code socketPath} (NOTIFY_SOCKET) is set; returns whether it was sent.
     *
     * @throws Libc.NativeException when the socket is set but the message cannot be delivered
     */
    static boolean notify(String socketPath, String state) throws Libc.NativeException {
        if (socketPath == null || socketPath.isEmpty()) {
            return false;
        }
        byte[] path = socketPath.getBytes(StandardCharsets.UTF_8);
        if (path.length >= SUN_PATH) {
            throw new Libc.NativeException("NOTIFY_SOCKET path is longer than " + (SUN_PATH - 1) + " bytes", 0);
        }
        if (path[0] != '/' && path[0] != '@') {
            throw new Libc.NativeException("NOTIFY_SOCKET=" + socketPath + " is not an absolute or abstract (@) path", 0);
        }
        boolean isAbstract = path[0] == '@';
        if (isAbstract) {
            path[0] = 0;
        }
        byte[] message = state.getBytes(StandardCharsets.UTF_8);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment address = arena.allocate(2 + SUN_PATH, 2);
            address.set(JAVA_SHORT, 0, (short) Libc.AF_UNIX);
            MemorySegment.copy(path, 0, address, JAVA_BYTE, 2, path.length);
            // Abstract names are exactly as long as given; filesystem paths are NUL-terminated.
            int length = 2 + path.length + (isAbstract ? 0 : 1);
            MemorySegment body = arena.allocateFrom(JAVA_BYTE, message);
            int fd = (int) Libc.call("socket(AF_UNIX, SOCK_DGRAM)",
                    s -> (int) Libc.SOCKET.invokeExact(s, Libc.AF_UNIX, Libc.SOCK_DGRAM | Libc.SOCK_CLOEXEC, 0));
            try {
                Libc.call("sendto " + socketPath, s -> (long) Libc.SENDTO.invokeExact(s, fd, body,
                        (long) message.length, 0, address, length));
            } finally {
                Libc.call("close", s -> (int) Libc.CLOSE.invokeExact(s, fd));
            }
        }
        return true;
    }
}
