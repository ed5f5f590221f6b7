package dev.ebpfexporter.cli;

import dev.ebpfexporter.bpf.sys.Libc;

import java.io.IOException;
import java.nio.channels.Channel;
import java.nio.channels.ServerSocketChannel;
import java.util.Map;

/**
 * systemd socket activation ({@code sd_listen_fds}): the sockets are file descriptors 3, 4, ...
 * with {@code LISTEN_FDS} saying how many and {@code LISTEN_PID} which process they are for.
 *
 * <p>The JDK can turn only one inherited descriptor into a channel: standard input, through
 * {@link System#inheritedChannel()}. So the chosen descriptor is {@code dup2}ed onto 0, the JDK
 * adopts it (it keeps its own duplicate), and 0 goes back to {@code /dev/null}. Closing such a
 * channel makes the JDK point standard out and error at /dev/null as well; {@link #restoreStdio}
 * puts them back so shutdown messages still reach the journal.
 */
final class SocketActivation {
    static final int LISTEN_FDS_START = 3;

    private static int savedStdout = -1;
    private static int savedStderr = -1;

    private SocketActivation() {
    }

    /** The {@code index}-th socket passed to this process, as a listening channel. */
    static ServerSocketChannel listener(int index, Map<String, String> env, long pid) throws IOException {
        String listenPid = env.get("LISTEN_PID");
        String listenFds = env.get("LISTEN_FDS");
        if (listenPid == null || listenFds == null) {
            throw new IOException("no sockets passed by systemd (LISTEN_PID and LISTEN_FDS are not set); "
                    + "fd:// needs a .socket unit or systemd-socket-activate");
        }
        if (!listenPid.trim().equals(Long.toString(pid))) {
            throw new IOException("sockets passed by systemd are for process " + listenPid + ", this is " + pid);
        }
        int count;
        try {
            count = Integer.parseInt(listenFds.trim());
        } catch (NumberFormatException e) {
            throw new IOException("LISTEN_FDS=" + listenFds + " is not a number", e);
        }
        if (index >= count) {
            throw new IOException("fd://" + index + " asked for socket " + (index + 1) + " but systemd passed " + count);
        }
        int fd = LISTEN_FDS_START + index;
        try {
            savedStdout = Libc.dup(1);
            savedStderr = Libc.dup(2);
            Libc.dup2("dup2(" + fd + ", 0)", fd, 0);
            Channel channel = System.inheritedChannel();
            int devNull = Libc.open("/dev/null", Libc.O_RDWR);
            Libc.dup2("dup2(/dev/null, 0)", devNull, 0);
            Libc.close("close", devNull);
            Libc.close("close(" + fd + ")", fd);
            if (!(channel instanceof ServerSocketChannel server)) {
                throw new IOException("file descriptor " + fd + " passed by systemd is not a listening TCP socket"
                        + (channel == null ? "" : " (it is a " + channel.getClass().getSimpleName() + ")"));
            }
            return server;
        } catch (Libc.NativeException e) {
            throw new IOException("socket activation: " + e.getMessage(), e);
        }
    }

    /** Points standard out and error back where they were before an inherited channel was adopted. */
    static void restoreStdio() {
        if (savedStdout < 0) {
            return;
        }
        try {
            Libc.dup2("dup2 stdout", savedStdout, 1);
            Libc.dup2("dup2 stderr", savedStderr, 2);
        } catch (Libc.NativeException e) {
            // nothing to report it on
        }
    }
}
