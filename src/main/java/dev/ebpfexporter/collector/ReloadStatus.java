package dev.ebpfexporter.collector;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * How the last load of the configs went: the start, or the last reload ({@code SIGHUP}, {@code POST /-/reload}).
 *
 * @param successful  every config read and loaded (at start), or every changed config swapped in (on reload)
 * @param lastSuccess when the configs last loaded without a failure (empty when they never did)
 * @param lastAttempt when the start or the last reload finished
 * @param errors      one line per config that failed, saying what runs instead
 * @param summary     what the last start or reload did, e.g. {@code 1 changed, 0 added, 0 removed, 2 unchanged}
 */
public record ReloadStatus(boolean successful, Optional<Instant> lastSuccess, Instant lastAttempt, List<String> errors,
                           String summary) {
    public ReloadStatus {
        errors = List.copyOf(errors);
    }

    static ReloadStatus after(List<String> errors, String summary, Optional<Instant> previousSuccess) {
        Instant now = Instant.now();
        boolean successful = errors.isEmpty();
        return new ReloadStatus(successful, successful ? Optional.of(now) : previousSuccess, now, errors, summary);
    }
}
