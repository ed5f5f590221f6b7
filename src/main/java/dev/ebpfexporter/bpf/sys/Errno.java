package dev.ebpfexporter.bpf.sys;

/** The errno values the map and attach code branches on (Linux, all architectures). */
public final class Errno {
    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int E2BIG = 7;
    public static final int EBADF = 9;
    public static final int EIO = 5;
    public static final int EEXIST = 17;
    public static final int EINTR = 4;
    public static final int EAGAIN = 11;
    public static final int ENOMEM = 12;
    public static final int EACCES = 13;
    public static final int EFAULT = 14;
    public static final int EINVAL = 22;
    public static final int ENOSPC = 28;
    public static final int ESRCH = 3;
    public static final int EOPNOTSUPP = 95;
    public static final int ENOTSUPP = 524; // kernel-internal "not supported", seen from the bpf syscall

    private Errno() {
    }
}
