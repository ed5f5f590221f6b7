package dev.ebpfexporter.cli;

import dev.ebpfexporter.bpf.sys.Libc;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * {@code sd_notify}: one datagram ({@code READY=1}, {@code STOPPING=1}) to the unix socket named in
 * {@code NOTIFY_SOCKET}, for {@code Type=notify} units. A path starting with {@code @} is in the
 * abstract namespace. The JDK's unix domain channels are stream-only, hence {@code sendto} by FFM.
 */
final class SystemdNotify {
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
        if (path.length >= Libc.SUN_PATH) {
            throw new Libc.NativeException("NOTIFY_SOCKET path is longer than " + (Libc.SUN_PATH - 1) + " bytes", 0);
        }
        if (path[0] != '/' && path[0] != '@') {
            throw new Libc.NativeException("NOTIFY_SOCKET=" + socketPath + " is not an absolute or abstract (@) path", 0);
        }
        boolean isAbstract = path[0] == '@';
        if (isAbstract) {
            path[0] = 0;
        }
        // Abstract names are exactly as long as given; filesystem paths are NUL-terminated.
        byte[] sunPath = isAbstract ? path : Arrays.copyOf(path, path.length + 1);
        Libc.sendUnixDatagram(socketPath, sunPath, state.getBytes(StandardCharsets.UTF_8));
        return true;
    }
}
