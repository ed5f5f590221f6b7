package dev.ebpfexporter.cli;

import dev.ebpfexporter.bpf.sys.Libc;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code --capabilities.keep}: after the programs are attached, keep only the named capabilities.
 * Everything else leaves the effective, permitted and inheritable sets, the ambient set and the
 * bounding set (so no exec can get it back).
 *
 * <p>Linux capability sets belong to threads. The JVM gives no way to run code on its own threads
 * (GC, JIT, the launcher's first thread), so the drop applies to the thread that calls it and to
 * every thread started after it: the caller drops before the HTTP server starts, so every thread
 * that handles a request runs with the reduced sets.
 */
final class Capabilities {
    /** Capability names by number, as in linux/capability.h. */
    static final List<String> NAMES = List.of("cap_chown", "cap_dac_override", "cap_dac_read_search",
            "cap_fowner", "cap_fsetid", "cap_kill", "cap_setgid", "cap_setuid", "cap_setpcap",
            "cap_linux_immutable", "cap_net_bind_service", "cap_net_broadcast", "cap_net_admin", "cap_net_raw",
            "cap_ipc_lock", "cap_ipc_owner", "cap_sys_module", "cap_sys_rawio", "cap_sys_chroot", "cap_sys_ptrace",
            "cap_sys_pacct", "cap_sys_admin", "cap_sys_boot", "cap_sys_nice", "cap_sys_resource", "cap_sys_time",
            "cap_sys_tty_config", "cap_mknod", "cap_lease", "cap_audit_write", "cap_audit_control", "cap_setfcap",
            "cap_mac_override", "cap_mac_admin", "cap_syslog", "cap_wake_alarm", "cap_block_suspend",
            "cap_audit_read", "cap_perfmon", "cap_bpf", "cap_checkpoint_restore");

    private static final int EINVAL = 22;

    /** What to keep: everything ({@code all}, the default, as in the reference) or a set of numbers. */
    record Keep(boolean all, Set<Integer> capabilities) {
        static final Keep ALL = new Keep(true, Set.of());

        static Keep parse(String text) {
            String trimmed = text.trim().toLowerCase(Locale.ROOT);
            if (trimmed.equals("all")) {
                return ALL;
            }
            if (trimmed.equals("none")) {
                return new Keep(false, Set.of());
            }
            Set<Integer> numbers = new LinkedHashSet<>();
            for (String name : trimmed.split(",")) {
                String cap = name.trim();
                if (!cap.startsWith("cap_")) {
                    cap = "cap_" + cap;
                }
                int number = NAMES.indexOf(cap);
                if (number < 0) {
                    throw new IllegalArgumentException("--capabilities.keep: unknown capability \"" + name.trim()
                            + "\" (expected all, none or names like cap_bpf,cap_perfmon)");
                }
                numbers.add(number);
            }
            return new Keep(false, Set.copyOf(numbers));
        }

        String describe() {
            if (all) {
                return "all";
            }
            if (capabilities.isEmpty()) {
                return "none";
            }
            return String.join(",", capabilities.stream().sorted().map(NAMES::get).toList());
        }
    }

    private Capabilities() {
    }

    /** Drops every capability not in {@code keep} from this thread's sets; returns what was dropped. */
    static List<String> drop(Keep keep) throws Libc.NativeException {
        if (keep.all()) {
            return List.of();
        }
        long[] sets = Libc.capget(); // effective, permitted, inheritable
        long keepMask = 0;
        for (int cap : keep.capabilities()) {
            keepMask |= 1L << cap;
        }
        long newPermitted = sets[1] & keepMask;
        List<String> dropped = new ArrayList<>();
        for (int cap = 0; cap < 64; cap++) {
            if ((sets[1] & (1L << cap)) != 0 && (keepMask & (1L << cap)) == 0) {
                dropped.add(cap < NAMES.size() ? NAMES.get(cap) : "cap_" + cap);
            }
        }
        Libc.prctl("prctl(PR_CAP_AMBIENT_CLEAR_ALL)", Libc.PR_CAP_AMBIENT, Libc.PR_CAP_AMBIENT_CLEAR_ALL);
        // The bounding set first: dropping from it needs CAP_SETPCAP, which may be about to go.
        // PR_CAPBSET_READ fails with EINVAL past the kernel's last capability.
        for (int cap = 0; cap < 64; cap++) {
            int present;
            try {
                present = Libc.prctl("prctl(PR_CAPBSET_READ)", Libc.PR_CAPBSET_READ, cap);
            } catch (Libc.NativeException e) {
                if (e.errno() == EINVAL) {
                    break;
                }
                throw e;
            }
            if (present == 1 && (keepMask & (1L << cap)) == 0) {
                String name = cap < NAMES.size() ? NAMES.get(cap) : "cap_" + cap;
                Libc.prctl("prctl(PR_CAPBSET_DROP, " + name + ")", Libc.PR_CAPBSET_DROP, cap);
            }
        }
        Libc.capset(newPermitted, newPermitted, 0);
        return dropped;
    }
}
