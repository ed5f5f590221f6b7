package dev.ebpfexporter.collector;

import java.util.List;

/**
 * One set of loaded configs as scrapes see it; a reload publishes a new one and retires the old. A scrape
 * {@link #enter enters} the generation it reads and exits at its end; {@link #retire} waits for those
 * scrapes before the configs that only the retired generation has are closed. So a scrape never sees half
 * of a reload, and never reads a map closed under it.
 *
 * <p>Its configs are served in load order, each with the digest of the files it was loaded from; its
 * failures are the configs not served (they failed to read or load, and no earlier version runs).
 */
final class Generation {
    /** A served config and the digest of the files it came from ({@link ConfigFiles#readAll}). */
    record Entry(LoadedConfig config, String digest) {
    }

    private final List<Entry> configs;
    private final List<Exporter.ConfigFailure> failures;
    private final ReloadStatus status;
    private final Users users = new Users();

    Generation(List<Entry> configs, List<Exporter.ConfigFailure> failures, ReloadStatus status) {
        this.configs = List.copyOf(configs);
        this.failures = List.copyOf(failures);
        this.status = status;
    }

    List<Entry> configs() {
        return configs;
    }

    List<Exporter.ConfigFailure> failures() {
        return failures;
    }

    ReloadStatus status() {
        return status;
    }

    List<LoadedConfig> loaded() {
        return configs.stream().map(Entry::config).toList();
    }

    boolean enter() {
        return users.enter();
    }

    void exit() {
        users.exit();
    }

    /** Refuses new scrapes and waits up to {@code millis} for those in flight; false when some are still reading. */
    boolean retire(long millis) {
        return users.retire(millis);
    }

    /** The scrapes reading a generation; a monitor, held for an increment, never across a scrape. */
    static final class Users {
        private int count;
        private boolean retired;

        synchronized boolean enter() {
            if (retired) {
                return false;
            }
            count++;
            return true;
        }

        synchronized void exit() {
            if (--count == 0) {
                notifyAll();
            }
        }

        synchronized boolean retire(long millis) {
            retired = true;
            long deadline = System.nanoTime() + millis * 1_000_000;
            while (count > 0) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    return false;
                }
                try {
                    wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return true;
        }
    }
}
